import { Navigate } from '@tanstack/react-router';
import { useObjects } from '../api/queries';
import { Loading } from './loading';

/** The start page: the first list I may read. */
export function HomeRedirect() {
  const objects = useObjects();
  if (!objects.data) return <Loading />;
  const first = objects.data.find((object) => object.name === 'company') ?? objects.data[0];
  return first ? <Navigate to="/objects/$object" params={{ object: first.name }} replace /> : <Navigate to="/settings/profile" replace />;
}
