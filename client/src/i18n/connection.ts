// What the connection indicator and its notices say: online, reconnecting, and why the server closed or reloaded.
import type { Messages } from './types.ts'

export const en = {
  'conn.label': 'Connection',
  'conn.online': 'Online',
  'conn.offline': 'Offline — your edits will be sent',
  'conn.reconnecting': 'Reconnecting — your edits will be sent',
  'conn.stopped': 'Disconnected',
  'conn.restarted': 'The server did not accept a change from this screen, so the proposal was reloaded from the shared copy. Nothing else was lost.',
  'conn.tooBig': 'A change was too large to send. The room stopped syncing; reload to continue from the shared copy.',
  'conn.rateLimited': 'Changes came faster than the room accepts. Reconnecting in {seconds} s; your edits will be sent then.',
  'conn.closed': 'The server closed the connection: {reason}. Reload to continue.',
  'conn.quota': 'This proposal is too long: the server did not accept the last change, so the proposal was reloaded from the shared copy. Shorten the text and try again.',
  'conn.broken': 'The room ran into a problem on the server and is reopening. Your connection will come back by itself.',
  'conn.readOnly': 'This room is over its size limit, so the proposal is read-only. You can still read it and chat.',
  'conn.reload': 'Reload the room',
  'conn.noToken': 'This link is incomplete. Open the invite link you were sent.',
  'conn.badToken': 'This invite link is not valid or has expired. Ask for a new link.',
  'conn.loadFailed': 'The room could not be opened ({reason}).',
} as const

export const zh: Messages<typeof en> = {
  'conn.label': '连接状态',
  'conn.online': '已连接',
  'conn.offline': '离线 — 您的修改将在恢复连接后发送',
  'conn.reconnecting': '正在重新连接 — 您的修改稍后发送',
  'conn.stopped': '已断开',
  'conn.restarted': '服务器未接受此页面的一项修改，方案已按共享版本重新加载。其他内容没有丢失。',
  'conn.tooBig': '有一项修改过大，无法发送。同步已暂停，请重新加载以从共享版本继续。',
  'conn.rateLimited': '修改发送过快，超出协商室的接收速度。{seconds} 秒后重新连接，届时会发送您的修改。',
  'conn.closed': '服务器关闭了连接：{reason}。请重新加载后继续。',
  'conn.quota': '方案过长：服务器未接受最后一项修改，方案已按共享版本重新加载。请缩短内容后再试。',
  'conn.broken': '协商室在服务器上出现问题，正在重新打开。连接会自动恢复。',
  'conn.readOnly': '此协商室已超出大小上限，方案为只读。您仍可查看方案并聊天。',
  'conn.reload': '重新加载',
  'conn.noToken': '链接不完整。请打开您收到的邀请链接。',
  'conn.badToken': '邀请链接无效或已过期，请索取新的链接。',
  'conn.loadFailed': '无法打开协商室（{reason}）。',
}
