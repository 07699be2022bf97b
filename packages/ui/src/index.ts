export { Button, type ButtonProps } from './button';
export { Field, Input, Select, Textarea, Checkbox } from './inputs';
export { Dialog } from './dialog';
export { Popover } from './popover';
export { Badge, Alert, ProblemAlert, Spinner, EmptyState } from './feedback';
export { ToastProvider, useToast } from './toast';
export { Tabs } from './tabs';
export { DateInput, type DateInputProps } from './dates/date-input';
export { DateTimeInput } from './dates/date-time-input';
