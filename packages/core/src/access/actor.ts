/** Who is acting: every call to the data-access layer carries one. */
export interface Actor {
  kind: 'user' | 'apiKey' | 'system' | 'plugin';
  /** The user's id, the API key's id, the plugin's id, or "system". */
  id: string;
  workspaceId: string;
  /** The person accountable: the user, or the API key's creator. */
  userId?: string;
  role?: string;
}

export function systemActor(workspaceId: string): Actor {
  return { kind: 'system', id: 'system', workspaceId };
}
