// English strings of the signed agreement PDF (and the review summary). Flat keys, `{name}` placeholders;
// this object defines the keys, and the Chinese strings are typed against it.

export const agreementTextEn = {
  'agreement.title': 'Loan Agreement',
  'agreement.subtitle': 'Agreed by both parties in the Negotiation Room and signed by the server',
  'agreement.room': 'Room',
  'agreement.agreedAt': 'Agreed and locked',
  'agreement.fingerprint': 'Fingerprint',
  'agreement.currency': 'Currency',

  'agreement.parties.heading': 'Parties',
  'agreement.parties.lenderFor': '{institution}, represented by {name}',
  'agreement.parties.note': 'Named as each signer typed their full name when confirming.',
  'agreement.parties.staff': 'Confirmed for the lender by',
  'agreement.parties.staffValue': '{name}, staff ID {staffId}, {orgName}',

  'agreement.keyFigures.instalment': 'Monthly payment',
  'agreement.keyFigures.totalPaid': 'Total to repay',
  'agreement.keyFigures.apr': 'APR (actuarial method, fees included)',
  'agreement.keyFigures.term': 'Term',

  'agreement.summary.heading': 'Summary in plain language',
  'agreement.summary.borrow': 'The borrower borrows {principal} and receives {net} after an upfront fee of {fee}.',
  'agreement.summary.borrowNoFee': 'The borrower borrows and receives {principal}.',
  'agreement.summary.repay':
    'It is repaid over {months} months by {method}: {methodExplained}. The regular monthly payment is {instalment}; the first payment, {first}, is due {firstWhen}, and the last, {last}, {lastWhen}.',
  'agreement.summary.grace.capitalize':
    'The first {n} months are a grace period: nothing is paid and the interest is added to the balance.',
  'agreement.summary.grace.pay': 'The first {n} months are a grace period: only the interest is paid.',
  'agreement.summary.cost':
    'In total the borrower repays {totalPaid}, of which {interest} is interest. With the fee, the credit costs {totalCost}. The APR of {apr} includes the fee: it is the real yearly cost.',
  'agreement.summary.costNoFee':
    'In total the borrower repays {totalPaid}, of which {interest} is interest. The APR of {apr} is the real yearly cost.',
  'agreement.when.date': 'on {date}',
  'agreement.when.period': 'in month {n}',

  'agreement.field.principal': 'Loan amount',
  'agreement.field.netDisbursed': 'Amount received (after fee)',
  'agreement.field.annualRate': 'Annual interest rate',
  'agreement.field.apr': 'APR (actuarial method, fees included)',
  'agreement.field.ear': 'Effective annual rate (EAR)',
  'agreement.field.term': 'Term',
  'agreement.field.termValue': '{n} months',
  'agreement.field.method': 'Repayment method',
  'agreement.field.regularInstalment': 'Regular monthly payment',
  'agreement.field.atMaturity': 'Payment at maturity',
  'agreement.field.firstPayment': 'First payment',
  'agreement.field.lastPayment': 'Last payment',
  'agreement.field.paymentValue': '{amount}, {when}',
  'agreement.field.grace': 'Grace period',
  'agreement.field.graceNone': 'None',
  'agreement.field.graceCapitalize': '{n} months, interest added to the balance',
  'agreement.field.gracePay': '{n} months, interest only',
  'agreement.field.upfrontFee': 'Upfront fee',
  'agreement.field.totalInterest': 'Total interest',
  'agreement.field.totalPaid': 'Total to repay',
  'agreement.field.totalCost': 'Total cost of credit (interest + fee)',

  'agreement.method.annuity': 'equal instalments',
  'agreement.method.equal_principal': 'equal principal',
  'agreement.method.interest_only': 'interest only, principal at the end',
  'agreement.method.bullet': 'principal and interest at maturity',
  'agreement.methodExplained.annuity': 'the same payment every month, early payments being mostly interest',
  'agreement.methodExplained.equal_principal':
    'the same share of principal every month plus interest on what is left, so payments fall over time',
  'agreement.methodExplained.interest_only': 'interest every month and the whole principal with the last payment',
  'agreement.methodExplained.bullet': 'nothing until the end, then the principal and simple interest in one payment',

  'agreement.comparison.heading': 'Before and after',
  'agreement.comparison.original': 'Original loan',
  'agreement.comparison.agreed': 'This agreement',
  'agreement.comparison.difference': 'Difference',

  'agreement.baseline.heading': 'Debt being restructured (stated by the lender)',
  'agreement.waivers.heading': 'Waivers',
  'agreement.commitments.heading': 'Commitments',
  'agreement.key.outstandingPrincipal': 'Outstanding principal',
  'agreement.key.accruedInterest': 'Accrued interest',
  'agreement.key.penaltyInterest': 'Penalty interest',
  'agreement.key.fees': 'Fees',
  'agreement.key.daysPastDue': 'Days past due',
  'agreement.key.firstDueDate': 'First due date',
  'agreement.yes': 'Yes',
  'agreement.no': 'No',

  'agreement.disclosure.heading': 'How the figures are computed',
  'agreement.disclosure.aprLabel': 'APR (actuarial method, fees included)',
  'agreement.disclosure.rounding':
    "Rounding: each month's interest is the exact balance × annual rate ÷ 12, rounded half up to the currency's minor unit (e.g. 0.01); the regular instalment is rounded half up to the minor unit; the last payment absorbs any rounding residue so that the balance ends at exactly zero. APR = 12 × the monthly internal rate of return (IRR) of the borrower's cash flows (the amount received after fees, then every payment), shown with 4 decimals.",

  'agreement.key.asOfDate': 'Figures as of',
  'agreement.key.originalAnnualRatePct': 'Original annual interest rate',
  'agreement.key.originalMethod': 'Original repayment method',
  'agreement.key.originalRemainingMonths': 'Months left on the original contract',
  'agreement.key.totalOwed': 'Total owed before waivers',
  'agreement.key.allDueNow': 'none: all due now',

  'agreement.breakdown.heading': 'How the new principal is made up',
  'agreement.breakdown.newPrincipal': 'New principal',
  'agreement.breakdown.lessWaivers': 'Less: waivers',
  'agreement.breakdown.formula':
    '{newPrincipal} = outstanding principal {principal} + accrued interest {accrued} + penalty interest {penalty} + fees {fees} − waivers {waived}',
  'agreement.breakdown.note': 'The new principal is computed from the figures stated by the lender less the waivers; nobody types it.',

  'agreement.waivers.none': 'Nothing is waived.',
  'agreement.waivers.category': 'Waived',
  'agreement.waivers.amount': 'Amount',
  'agreement.waivers.ofBaseline': 'Of',
  'agreement.waivers.reason': 'Reason',

  'agreement.commitment.none': 'No commitments were agreed.',
  'agreement.commitment.noCollectionCalls.true': 'The lender makes no collection calls while the plan is honoured.',
  'agreement.commitment.noCollectionCalls.false': 'Collection calls are not excluded.',
  'agreement.commitment.noHomeVisits.true': 'The lender makes no home visits while the plan is honoured.',
  'agreement.commitment.noHomeVisits.false': 'Home visits are not excluded.',
  'agreement.commitment.creditReporting': 'Credit reporting: {explained}',
  'agreement.commitment.lapse.restore':
    'If {n} payments in a row are missed, the plan lapses: the waivers are cancelled and the debt returns to the baseline of {amount}, less what has been paid.',
  'agreement.commitment.lapse.keep': 'If {n} payments in a row are missed, the plan lapses, but the waivers already granted are kept.',
  'agreement.commitment.firstDueDate': 'The first payment falls due on {date}.',
  'agreement.creditReporting.restructured_current':
    'the loan is reported to the credit bureau as restructured and up to date; while every payment is on time no new late payment is reported (earlier records stay as they were reported).',
  'agreement.creditReporting.restructured_flagged':
    'the loan is reported to the credit bureau as restructured and stays marked as a past-due loan until it is repaid in full.',
  'agreement.creditReporting.no_change':
    'nothing changes in what the lender reports to the credit bureau: the loan is not reported as restructured and is reported as it would be without this plan.',

  'agreement.sides.heading': 'What the plan means for each side',
  'agreement.sides.borrower': 'For the borrower',
  'agreement.sides.lender': 'For the lender',
  'agreement.sides.baselineAmount': 'Owed on {date} before waivers',
  'agreement.sides.waived': 'Waived',
  'agreement.sides.withoutPlan': 'To pay without the plan (arrears at once, then the original contract)',
  'agreement.sides.withPlan': 'To pay under the plan (payments + upfront fee)',
  'agreement.sides.saved': 'Paid less under the plan (negative: more)',
  'agreement.sides.monthlyBefore': 'Monthly payment under the original contract',
  'agreement.sides.monthlyAfter': 'Monthly payment under the plan',
  'agreement.sides.allDueNow': 'All due now',
  'agreement.sides.dsrBefore': 'Debt-service ratio under the original contract',
  'agreement.sides.dsrAfter': 'Debt-service ratio under the plan',
  'agreement.sides.claim': 'Claim on {date} (principal + interest + penalty interest + fees)',
  'agreement.sides.received': 'Received under the plan (payments + upfront fee, nominal)',
  'agreement.sides.withPlanNoFee': 'To pay under the plan',
  'agreement.sides.receivedNoFee': 'Received under the plan (nominal)',
  'agreement.sides.presentValue': 'Present value of the plan at the original rate of {rate} a year',
  'agreement.sides.valueChange': 'Present value minus claim',
  'agreement.sides.ratio': 'Recovery ratio (present value ÷ claim)',
  'agreement.sides.note':
    'Present value: each payment is discounted at the original contract rate ÷ 12 per month, computed exactly and rounded half up once to the minor unit; the upfront fee counts at signing.',
  'agreement.sides.noteNoFee':
    'Present value: each payment is discounted at the original contract rate ÷ 12 per month, computed exactly and rounded half up once to the minor unit.',

  'agreement.consent.heading': 'Consent records',
  'agreement.consent.note':
    'Before confirming, each party was shown the plain-language summary of these terms. The SHA-256 hash of that exact text is recorded; the summary can be regenerated from the agreed content and checked against it.',
  'agreement.consent.shownAt': 'Summary shown at',
  'agreement.consent.confirmedAt': 'Confirmed at',
  'agreement.consent.ip': 'IP address',
  'agreement.consent.userAgent': 'Browser (user agent)',
  'agreement.consent.summaryHash': 'Summary hash (SHA-256)',
  'agreement.consent.summaryLang': 'Summary language',
  'agreement.consent.notRecorded': 'not recorded',
  'agreement.consent.otherLang': 'This copy is in {copy}; this party was shown the summary in {lang} before confirming.',
  'agreement.lang.en': 'English',
  'agreement.lang.zh': 'Chinese (中文)',

  // The review dialog's summary (shared/agreement/summaryText.ts). Its SHA-256 is stored with each confirmation:
  // rewording any string used there changes the hash of what people are shown (see summaryText.ts).
  'review.restructuring.owed':
    'On {date} the borrower owes {total}: outstanding principal {principal}, accrued interest {accrued}, penalty interest {penalty} and fees {fees}; the loan is {days} days past due.',
  'review.restructuring.waivers': 'The lender waives {total}: {list}.',
  'review.restructuring.waiverItem': '{category} {amount} (reason: {reason})',
  'review.restructuring.listSeparator': '; ',
  'review.restructuring.noWaivers': 'The lender waives nothing.',
  'review.restructuring.newPrincipal': 'The new principal is {formula}.',
  'review.amount': 'The loan amount is {principal}.',
  'review.fee': 'An upfront fee of {fee} is deducted, so the borrower receives {net}.',
  'review.fee.restructuring': 'An upfront fee of {fee} is charged when the plan starts.',
  'review.noFee': 'There is no upfront fee.',
  'review.rate': 'The interest rate is {rate}% a year.',
  'review.term': 'It is repaid over {months} months by {method}: {methodExplained}.',
  'review.instalment':
    'The regular monthly payment is {instalment}; the first payment, {first}, is due {firstWhen}, and the last, {last}, {lastWhen}.',
  'review.instalment.bullet': 'Everything is repaid in one payment of {instalment}, due {lastWhen}.',
  'review.when.date': 'on {date}',
  'review.when.period': 'in month {n}',
  'review.totals': 'In total the borrower repays {totalPaid}, of which {interest} is interest; with the upfront fee the credit costs {totalCost}.',
  'review.apr': '{label}: {apr}%. This is the real yearly cost, fees included.',
  'review.clauses': 'Additional conditions: {text}',
  'review.fingerprint': 'Content fingerprint: {fp}.',

  'agreement.clauses.heading': 'Additional conditions',
  'agreement.clauses.none': 'No additional conditions.',

  'agreement.profile.heading': "Borrower's declared situation",
  'agreement.profile.note': 'Declared by the borrower; seen only by the people in the room.',
  'agreement.profile.none': 'Not declared.',
  'agreement.profile.monthlyIncome': 'Monthly income',
  'agreement.profile.monthlyExpenses': 'Monthly expenses',
  'agreement.profile.otherDebtPayments': 'Other debt payments per month',
  'agreement.profile.assets': 'Assets',
  'agreement.profile.liabilities': 'Liabilities',
  'agreement.profile.dsr': 'Debt-service ratio (monthly debt payments ÷ income)',

  'agreement.confirmations.heading': 'Confirmations',
  'agreement.confirmations.note':
    'Each party read the terms above and confirmed them with their full name. Both confirmations bind the same content hash; any change would have cleared them.',
  'agreement.confirmations.party': 'Party',
  'agreement.confirmations.name': 'Full name',
  'agreement.confirmations.at': 'Confirmed at',
  'agreement.confirmations.content': 'Confirmed content',
  'agreement.role.borrower': 'Borrower',
  'agreement.role.lender': 'Lender',

  'agreement.integrity.heading': 'Integrity and signature',
  'agreement.integrity.contentHash': 'Content hash (SHA-256)',
  'agreement.integrity.fingerprint': 'Fingerprint (first 8 characters)',
  'agreement.integrity.signature': 'Server signature (Ed25519)',
  'agreement.integrity.keyId': 'Signing key id',
  'agreement.integrity.attachments': 'Attachments',
  'agreement.integrity.logHead': 'Room record at the lock (event {seq}, SHA-256)',
  'agreement.integrity.howToVerify':
    'How to check this agreement: keep the agreement file (JSON) downloaded from the room beside this PDF. The server signed that file with the key published at the address below (its key id is printed above). Any Ed25519 signature checker, or the lender or a mediator on your behalf, can confirm with that key that the file is exactly what was agreed: any change to the terms, figures, names or times makes the check fail.',
  'agreement.integrity.publicKey': 'Public key',

  'agreement.schedule.heading': 'Repayment schedule',
  'agreement.schedule.continued': 'Repayment schedule (continued)',
  'agreement.schedule.amountsIn': 'Amounts in {currency}',
  'agreement.schedule.period': 'No.',
  'agreement.schedule.dueDate': 'Due date',
  'agreement.schedule.payment': 'Payment',
  'agreement.schedule.principal': 'Principal',
  'agreement.schedule.interest': 'Interest',
  'agreement.schedule.balance': 'Balance',
  'agreement.schedule.total': 'Total',

  'agreement.warnings.heading': 'Disclosures shown to the borrower',
  'agreement.warnings.intro': 'Both sides were shown these warnings in the room for the agreed terms.',
  'agreement.warning.apr_above_ceiling':
    'The APR of {apr} is above the judicial protection ceiling of {ceiling}: {multiple} times the one-year LPR of {lpr} in force on {date}. A court may not uphold interest above the ceiling.',
  'agreement.warning.upfront_fee': 'A fee of {fee} is deducted up front from the amount paid out. It raises the APR from {without} to {apr}.',

  'agreement.footer.page': 'Page {n} of {total}',
  'agreement.footer.fingerprint': 'Fingerprint {fp}',
} as const

export type AgreementTextKey = keyof typeof agreementTextEn
