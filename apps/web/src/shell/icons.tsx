import { BarChart3, Box, Briefcase, Building2, Calendar, CheckSquare, FileText, Gauge, Handshake, Home, Mail, MessageSquare, Phone, Puzzle, Star, Tag, Ticket, Upload, User, Users, type LucideIcon } from 'lucide-react';

/** The icons objects and plugin navigation may name; a small fixed set keeps the bundle small. */
const ICONS: Record<string, LucideIcon> = {
  building: Building2,
  chart: BarChart3,
  user: User,
  users: Users,
  mail: Mail,
  briefcase: Briefcase,
  calendar: Calendar,
  task: CheckSquare,
  'check-square': CheckSquare,
  file: FileText,
  'file-text': FileText,
  handshake: Handshake,
  home: Home,
  message: MessageSquare,
  phone: Phone,
  star: Star,
  tag: Tag,
  ticket: Ticket,
  puzzle: Puzzle,
  gauge: Gauge,
  upload: Upload,
};

export function Icon({ name, size = 16 }: { name?: string | null; size?: number }) {
  const Component = (name && ICONS[name]) || Box;
  return <Component size={size} aria-hidden="true" />;
}
