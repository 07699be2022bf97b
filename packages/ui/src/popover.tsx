import { useEffect, useRef, useState, type ReactNode } from 'react';

/** A panel under its trigger; closes on Escape and on a click outside. */
export function Popover({ trigger, children, align = 'start', open: controlled, onOpenChange }: { trigger: (props: { onClick: () => void; 'aria-expanded': boolean }) => ReactNode; children: ReactNode | ((close: () => void) => ReactNode); align?: 'start' | 'end'; open?: boolean; onOpenChange?: (open: boolean) => void }) {
  const [uncontrolled, setUncontrolled] = useState(false);
  const open = controlled ?? uncontrolled;
  const setOpen = (value: boolean) => (onOpenChange ? onOpenChange(value) : setUncontrolled(value));
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: MouseEvent) => {
      if (ref.current && !ref.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  });
  const close = () => setOpen(false);
  return (
    <div ref={ref} style={{ position: 'relative', display: 'inline-block' }}>
      {trigger({ onClick: () => setOpen(!open), 'aria-expanded': open })}
      {open ? (
        <div className="r-popover" style={{ top: 'calc(100% + 4px)', [align === 'start' ? 'left' : 'right']: 0 }}>
          {typeof children === 'function' ? children(close) : children}
        </div>
      ) : null}
    </div>
  );
}
