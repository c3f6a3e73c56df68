// A room just created by the operator (POST /api/rooms answer, with the title it was given).
export interface Created {
  roomId: string
  title: string
  invites: Record<'borrower' | 'lender' | 'observer', { token: string; url: string }>
}
