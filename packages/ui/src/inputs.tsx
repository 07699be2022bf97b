import { cloneElement, forwardRef, isValidElement, useId, type InputHTMLAttributes, type ReactElement, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

/** A label, the control, a hint and the server's error for that field, wired for screen readers. */
export function Field({ label, hint, error, required, children }: { label: ReactNode; hint?: ReactNode; error?: string; required?: boolean; children: ReactElement<Record<string, unknown>> }) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  const control = isValidElement(children) ? cloneElement(children, { id: (children.props.id as string) ?? id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy, required }) : children;
  return (
    <div className="r-field">
      <label className="r-field-label" htmlFor={(children.props.id as string) ?? id}>
        {label}
        {required ? <span className="r-field-required" aria-hidden="true">*</span> : null}
      </label>
      {control}
      {hint ? <span className="r-field-hint" id={`${id}-hint`}>{hint}</span> : null}
      {error ? <span className="r-field-error" id={`${id}-error`} role="alert">{error}</span> : null}
    </div>
  );
}

export const Input = forwardRef<HTMLInputElement, InputHTMLAttributes<HTMLInputElement>>(function Input(props, ref) {
  return <input ref={ref} className="r-input" {...props} />;
});

export const Select = forwardRef<HTMLSelectElement, SelectHTMLAttributes<HTMLSelectElement>>(function Select(props, ref) {
  return <select ref={ref} className="r-select" {...props} />;
});

export const Textarea = forwardRef<HTMLTextAreaElement, TextareaHTMLAttributes<HTMLTextAreaElement>>(function Textarea(props, ref) {
  return <textarea ref={ref} className="r-textarea" {...props} />;
});

export const Checkbox = forwardRef<HTMLInputElement, Omit<InputHTMLAttributes<HTMLInputElement>, 'type'>>(function Checkbox(props, ref) {
  return <input ref={ref} type="checkbox" className="r-checkbox" {...props} />;
});
