import { Component, type ReactNode } from 'react';

/** A plugin's component that throws shows a line instead, and the rest of the page stays. */
export class PluginBoundary extends Component<{ plugin: string; children: ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  render() {
    if (this.state.error) return <div className="r-alert" role="alert">{`${this.props.plugin}: ${this.state.error.message}`}</div>;
    return this.props.children;
  }
}
