// The API's refusal of one form field, in its own words, right under the field (the field names it in
// aria-describedby).
export function FieldError(props: { id: string; messages: string[] | undefined }) {
  if (!props.messages?.length) return null;
  return (
    <p class="field-error" id={props.id}>
      {props.messages.join(' ')}
    </p>
  );
}
