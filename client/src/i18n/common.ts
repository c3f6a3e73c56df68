// The words every screen shares: the app's name, the language switch, roles, phases, tabs and the room's header.
import type { Messages } from './types.ts'

export const en = {
  'app.name': 'Negotiation Room',
  'app.skip': 'Skip to the proposal',

  'lang.label': 'Language',
  'lang.en': 'EN',
  'lang.zh': '中文',

  'common.loading': 'Loading…',
  'common.close': 'Close',
  'common.cancel': 'Cancel',
  'common.copy': 'Copy link',
  'common.copied': 'Copied',
  'common.copyFailed': 'Select the link and copy it',
  'common.retry': 'Try again',
  'common.dismiss': 'Dismiss',
  'common.none': '—',
  'common.listSep': ', ',
  'common.and': ' and ',

  'notFound.title': 'This page does not exist',
  'notFound.body': 'Check the link you were given.',
  'notFound.lobby': 'Go to the lobby',

  'role.borrower': 'Borrower',
  'role.lender': 'Lender',
  'role.observer': 'Observer',

  'roleIn.borrower': 'the borrower',
  'roleIn.lender': 'the lender',

  'observerLabel.mediator': 'mediator',
  'observerLabel.advisor': 'financial advisor',
  'observerLabel.lawyer': 'lawyer',
  'observerLabel.other': 'observer',
  'observerLabel.auditor': 'auditor',

  'observerIn.mediator': 'the mediator',
  'observerIn.advisor': 'the financial advisor',
  'observerIn.lawyer': 'the lawyer',
  'observerIn.other': 'the observer',
  'observerIn.auditor': 'the auditor',

  'phase.negotiating': 'Negotiating',
  'phase.confirmed': 'Both confirmed',
  'phase.locked': 'Locked',
  'phase.unknown': 'Opening',

  'who.you': 'you',

  'header.present': 'In the room',
  'header.you': 'you',
  'header.editingField': 'editing {field}',
  'header.observerBadge': 'Observer ({label})',
  'header.youAre': 'You: {role}',

  'tabs.label': 'Sections',
  'tabs.proposal': 'Proposal',
  'tabs.results': 'Results',
  'tabs.chat': 'Chat',
} as const

export const zh: Messages<typeof en> = {
  'app.name': '协商室',
  'app.skip': '跳到方案',

  'lang.label': '语言',
  'lang.en': 'EN',
  'lang.zh': '中文',

  'common.loading': '正在加载…',
  'common.close': '关闭',
  'common.cancel': '取消',
  'common.copy': '复制链接',
  'common.copied': '已复制',
  'common.copyFailed': '请选中链接后复制',
  'common.retry': '重试',
  'common.dismiss': '知道了',
  'common.none': '—',
  'common.listSep': '、',
  'common.and': '和',

  'notFound.title': '页面不存在',
  'notFound.body': '请检查您收到的链接。',
  'notFound.lobby': '前往大厅',

  'role.borrower': '借款人',
  'role.lender': '出借人',
  'role.observer': '观察员',

  'roleIn.borrower': '借款人',
  'roleIn.lender': '出借人',

  'observerLabel.mediator': '调解员',
  'observerLabel.advisor': '财务顾问',
  'observerLabel.lawyer': '律师',
  'observerLabel.other': '观察员',
  'observerLabel.auditor': '审计员',

  'observerIn.mediator': '调解员',
  'observerIn.advisor': '财务顾问',
  'observerIn.lawyer': '律师',
  'observerIn.other': '观察员',
  'observerIn.auditor': '审计员',

  'phase.negotiating': '协商中',
  'phase.confirmed': '双方已确认',
  'phase.locked': '已锁定',
  'phase.unknown': '正在打开',

  'who.you': '您',

  'header.present': '在场',
  'header.you': '您',
  'header.editingField': '正在编辑{field}',
  'header.observerBadge': '观察员（{label}）',
  'header.youAre': '您的身份：{role}',

  'tabs.label': '分区',
  'tabs.proposal': '方案',
  'tabs.results': '结果',
  'tabs.chat': '沟通',
}
