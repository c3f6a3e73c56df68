import { describe, expect, it } from 'vitest'
import { escalationCategories } from './escalationPhrases.ts'

describe('escalationCategories', () => {
  it.each([
    ['If you do not pay by Friday I will call your wife.', ['contact_family']],
    ['We will contact your employer and your colleagues about this.', ['contact_employer']],
    ["I'll post your debt on social media so everyone will know.", ['publish_debt']],
    ['You are a deadbeat and a liar.', ['insult']],
    ['We know where you are. We will come after you.', ['violence']],
    ['再不还钱我就联系你的家人', ['contact_family']],
    ['我们会打电话给你单位领导', ['contact_employer']],
    ['不还就把你曝光到网上，发给你通讯录里的人', ['publish_debt']],
    ['你这个老赖，真不要脸', ['insult']],
    ['你等着，让你好看', ['violence']],
    ['I will tell your boss, you idiot', ['contact_employer', 'insult']],
  ])('%s → %j', (text, expected) => {
    expect(escalationCategories(text)).toEqual(expected)
  })

  it.each([
    'Could we extend the term to 36 months? The monthly payment is hard for my family.',
    'My employer cut my hours, so I can pay ¥2,000 a month from March.',
    'We can waive the penalty interest if the first payment is on time.',
    'Please contact our office on Monday to sign; there is no harm in asking for a grace period.',
    'That rate is hard to beat. Can you share the schedule publicly with the mediator? No—just here is fine.',
    'It hurts my budget, but I accept the fee.',
    '能不能把期限延长到36个月？我家里的开支比较大。',
    '我们可以砍掉一部分罚息，条款要公开透明。',
    '我去公司问问财务，明天给你答复。',
    '宽限期三个月，先息后本可以吗？',
    '我的父母会帮我还一部分，首付两万元。',
  ])('no category for ordinary negotiation: %s', (text) => {
    expect(escalationCategories(text)).toEqual([])
  })
})
