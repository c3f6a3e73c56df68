// The cooling-off pause: the action, its dialog, and the banner every screen shows while it lasts.
import type { Messages } from './types.ts'

export const en = {
  'pause.action': 'Pause',
  'pause.action.help': 'Call a cooling-off pause: the proposal and confirmations freeze for a few minutes; the chat stays open.',
  'pause.dialog.title': 'Call a cooling-off pause',
  'pause.dialog.intro':
    'For a few minutes nobody can change the proposal or confirm; everyone can still write in the chat. Everyone sees who paused, the reason and a countdown.',
  'pause.dialog.minutes': 'Length (minutes, {min}–{max})',
  'pause.dialog.minutesProblem': 'Choose a whole number of minutes from {min} to {max}.',
  'pause.dialog.reason': 'Reason (optional, everyone in the room reads it)',
  'pause.dialog.left': 'You can call {n} more pause(s) in this room.',
  'pause.dialog.none': 'You have called all the pauses you may call in this room.',
  'pause.dialog.neutral': 'As the neutral, your pauses are not counted.',
  'pause.dialog.submit': 'Pause now',
  'pause.dialog.sending': 'Pausing…',
  'pause.banner.title': 'Cooling-off pause',
  'pause.banner.by': '{name} ({role}) paused the room.',
  'pause.banner.reason': 'Reason: ',
  'pause.banner.resumesIn': 'Resumes in',
  'pause.banner.frozen': 'The proposal and confirmations are frozen until then; the chat stays open.',
  'pause.banner.end': 'End the pause now',
  'pause.confirmFrozen': 'Paused: confirming is possible again once the pause ends.',
} as const

export const zh: Messages<typeof en> = {
  'pause.action': '暂停',
  'pause.action.help': '发起冷静暂停：方案和确认将冻结几分钟，聊天仍可使用。',
  'pause.dialog.title': '发起冷静暂停',
  'pause.dialog.intro': '暂停期间任何人都不能修改方案或确认，但仍可在聊天中发言。所有人都会看到是谁发起的暂停、原因和倒计时。',
  'pause.dialog.minutes': '时长（分钟，{min}–{max}）',
  'pause.dialog.minutesProblem': '请选择 {min} 到 {max} 之间的整数分钟。',
  'pause.dialog.reason': '原因（可选，房间内所有人都能看到）',
  'pause.dialog.left': '您在本房间还可以发起 {n} 次暂停。',
  'pause.dialog.none': '您在本房间可发起的暂停次数已用完。',
  'pause.dialog.neutral': '作为中立方，您发起的暂停不计入次数。',
  'pause.dialog.submit': '立即暂停',
  'pause.dialog.sending': '正在暂停…',
  'pause.banner.title': '冷静暂停',
  'pause.banner.by': '{name}（{role}）暂停了协商。',
  'pause.banner.reason': '原因：',
  'pause.banner.resumesIn': '恢复倒计时',
  'pause.banner.frozen': '在此之前方案和确认均被冻结；聊天仍可使用。',
  'pause.banner.end': '立即结束暂停',
  'pause.confirmFrozen': '暂停中：暂停结束后才能确认。',
}
