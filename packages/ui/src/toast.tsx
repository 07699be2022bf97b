import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

interface Toast {
  id: number;
  message: string;
  tone?: 'danger';
}
type Show = (message: string, tone?: 'danger') => void;
const ToastContext = createContext<Show>(() => undefined);

/** Short confirmations ("Saved") and errors that belong to no field, announced to screen readers. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const show = useCallback<Show>((message, tone) => {
    const id = Date.now() + Math.random();
    setToasts((current) => [...current.slice(-3), { id, message, tone }]);
    setTimeout(() => setToasts((current) => current.filter((toast) => toast.id !== id)), tone ? 8000 : 3000);
  }, []);
  const value = useMemo(() => show, [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="r-toasts" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className="r-toast" data-tone={toast.tone}>{toast.message}</div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export const useToast = () => useContext(ToastContext);
