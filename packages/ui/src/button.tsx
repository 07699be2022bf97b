import { forwardRef, type ButtonHTMLAttributes, type ReactNode } from 'react';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: 'default' | 'primary' | 'danger' | 'ghost';
  size?: 'md' | 'sm';
  icon?: ReactNode;
  /** With only an icon, the label is for screen readers (and the tooltip). */
  iconOnly?: boolean;
}

export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button({ variant = 'default', size = 'md', icon, iconOnly, children, type = 'button', title, ...rest }, ref) {
  return (
    <button
      ref={ref}
      type={type}
      className="r-button"
      data-variant={variant}
      data-size={size}
      data-icon-only={iconOnly || undefined}
      title={title ?? (iconOnly && typeof children === 'string' ? children : undefined)}
      aria-label={iconOnly && typeof children === 'string' ? children : rest['aria-label']}
      {...rest}
    >
      {icon}
      {iconOnly ? null : children}
    </button>
  );
});
