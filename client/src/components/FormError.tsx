/**
 * A form's error in words, announced to screen readers when it appears; nothing when there is none.
 */
export function FormError({ error }: { error: string | null }) {
  if (!error) return null
  return (
    <p className="form-error" role="alert">
      {error}
    </p>
  )
}
