// The gentle prompt before a message that may read as a threat or an insult (shared/deescalation), and the
// flag a neutral observer sees on such a message.
import type { Messages } from './types.ts'

export const en = {
  'deescalate.title': 'This may read as a threat or an insult',
  'deescalate.body': 'It seems to mention {what}. Calm words keep the other side at the table. Send it as it is, or edit it first?',
  'deescalate.send': 'Send anyway',
  'deescalate.edit': 'Edit',
  'deescalate.and': ', ',
  'deescalate.category.contact_family': 'contacting their family',
  'deescalate.category.contact_employer': 'contacting their employer',
  'deescalate.category.publish_debt': 'making the debt public',
  'deescalate.category.violence': 'harm',
  'deescalate.category.insult': 'an insult',
  'deescalate.flag': 'For the {label}: this message may read as {what}.',
} as const

export const zh: Messages<typeof en> = {
  'deescalate.title': '这句话可能会被理解为威胁或侮辱',
  'deescalate.body': '内容似乎涉及{what}。平和的措辞更有助于对方继续协商。直接发送，还是先修改？',
  'deescalate.send': '仍然发送',
  'deescalate.edit': '修改',
  'deescalate.and': '、',
  'deescalate.category.contact_family': '联系对方家人',
  'deescalate.category.contact_employer': '联系对方单位',
  'deescalate.category.publish_debt': '公开债务',
  'deescalate.category.violence': '人身伤害',
  'deescalate.category.insult': '侮辱性言语',
  'deescalate.flag': '提示{label}：这条消息可能被理解为{what}。',
}
