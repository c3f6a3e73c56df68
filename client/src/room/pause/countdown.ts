// The time a pause has left, as every screen shows it: mm:ss, never below 00:00.

/** "04:59" for 299 500 ms left (seconds round up, so 00:00 shows only once the time is up). */
export function countdown(msLeft: number): string {
  const total = Math.max(0, Math.ceil(msLeft / 1000))
  const mm = Math.floor(total / 60)
  const ss = total % 60
  return `${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}`
}
