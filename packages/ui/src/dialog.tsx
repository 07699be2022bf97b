import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';
import { X } from 'lucide-react';

/** A modal dialog on the native <dialog> (focus trap, Escape and the backdrop for free). */
export function Dialog({ open, title, onClose, children, footer, onSubmit, closeLabel }: { open: boolean; title: ReactNode; onClose: () => void; children: ReactNode; footer?: ReactNode; onSubmit?: (event: FormEvent<HTMLFormElement>) => void; closeLabel: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  const body = (
    <>
      <div className="r-dialog-header">
        <h2>{title}</h2>
        <button type="button" className="r-button" data-variant="ghost" data-icon-only onClick={onClose} aria-label={closeLabel} title={closeLabel}>
          <X size={16} />
        </button>
      </div>
      <div className="r-dialog-body">{children}</div>
      {footer ? <div className="r-dialog-footer">{footer}</div> : null}
    </>
  );
  return (
    <dialog ref={ref} className="r-dialog" onClose={onClose} onCancel={(event) => { event.preventDefault(); onClose(); }}>
      {open ? (onSubmit ? <form onSubmit={(event) => { event.preventDefault(); onSubmit(event); }} noValidate>{body}</form> : body) : null}
    </dialog>
  );
}
