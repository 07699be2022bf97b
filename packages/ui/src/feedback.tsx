import type { ReactNode } from 'react';

export function Badge({ tone, children }: { tone?: 'success' | 'danger' | 'accent' | 'warning'; children: ReactNode }) {
  return <span className="r-badge" data-tone={tone}>{children}</span>;
}

export function Alert({ tone, children }: { tone?: 'info' | 'success'; children: ReactNode }) {
  return <div className="r-alert" data-tone={tone} role={tone ? 'status' : 'alert'}>{children}</div>;
}

/** A refused request (problem+json): its detail, then each field and the rule it broke. */
export function ProblemAlert({ problem, fallback }: { problem: { detail?: string; errors?: { field: string; message: string }[] }; fallback: string }) {
  return (
    <Alert>
      {problem.detail ?? fallback}
      {problem.errors?.length ? <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>{problem.errors.map((error) => <li key={`${error.field}${error.message}`}>{error.field}: {error.message}</li>)}</ul> : null}
    </Alert>
  );
}

export function Spinner({ label }: { label: string }) {
  return <span className="r-spinner" role="status" aria-label={label} />;
}

export function EmptyState({ icon, title, children, action }: { icon?: ReactNode; title: ReactNode; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="r-empty">
      {icon}
      <h2>{title}</h2>
      {children ? <p style={{ margin: 0 }}>{children}</p> : null}
      {action}
    </div>
  );
}
