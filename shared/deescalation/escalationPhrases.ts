// A small, documented list of phrases that read as threats or abusive collection in a negotiation chat
// (the collection practices the PRC's guidance on debt collection and the US FDCPA §806 name: threats to tell
// family or an employer, to publish the debt, to use violence, and insults). Kept short on purpose: it prompts
// the sender to reconsider and tells a neutral; it never blocks. Patterns are matched on lower-cased text.

export type EscalationCategory = 'contact_family' | 'contact_employer' | 'publish_debt' | 'violence' | 'insult'

export const ESCALATION_CATEGORIES: readonly EscalationCategory[] = ['contact_family', 'contact_employer', 'publish_debt', 'violence', 'insult']

/** Per category, English and Chinese patterns (each a RegExp over lower-cased text). */
export const ESCALATION_PHRASES: Readonly<Record<EscalationCategory, readonly RegExp[]>> = {
  contact_family: [
    /\b(call|calling|contact|contacting|tell|telling|inform|visit|visiting|phone)\b[^.?!]{0,30}\byour (family|wife|husband|parents?|mother|father|mom|dad|kids|children|relatives)\b/,
    /(联系|打电话给|通知|告诉|找)[^。？！]{0,8}(你|您)的?(家人|家里人|父母|爸妈|老婆|老公|妻子|丈夫|孩子|亲戚)/,
  ],
  contact_employer: [
    /\b(call|calling|contact|contacting|tell|telling|inform|visit|visiting|phone)\b[^.?!]{0,30}\byour (employer|boss|manager|workplace|office|colleagues|company|hr)\b/,
    /(联系|打电话给|通知|告诉|找|去)[^。？！]{0,8}(你|您)的?(单位|公司|老板|领导|同事|人事)/,
  ],
  publish_debt: [
    /\b(post|publish|expose|share|put)\b[^.?!]{0,20}\b(you|your)\b[^.?!]{0,30}\b(online|on social media|on facebook|on wechat|publicly|in public|everyone will know)\b/,
    /\beveryone (will|is going to) know\b/,
    /(曝光|公开你|公之于众|发到网上|发朋友圈|挂到网上|群发|通讯录)/,
  ],
  violence: [
    /\b(hurt|beat|kill|harm) (you|your)\b|\b(come after you|find where you live|break your)\b/,
    /(打断你|弄死|砍你|上门找你|让你好看|走着瞧)/,
  ],
  insult: [
    /\b(idiot|stupid|moron|liar|deadbeat|scum|loser|thief|cheater|shameless)\b/,
    /(骗子|老赖|无耻|不要脸|废物|垃圾|混蛋|白痴|傻瓜|傻逼)/,
  ],
}

/** The categories the text matches, in ESCALATION_CATEGORIES order; empty when none does. */
export function escalationCategories(text: string): EscalationCategory[] {
  const lower = text.toLowerCase()
  return ESCALATION_CATEGORIES.filter((c) => ESCALATION_PHRASES[c].some((re) => re.test(lower)))
}
