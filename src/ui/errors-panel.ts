/** The page's error list (role `alert`): one line per message, with every task or step it came from. */
import { html, nothing } from 'lit';
import type { PanelHost } from './panel.ts';

/** One message, and every task or step it came from (five tasks failing alike show once). */
interface PageError {
  id: number;
  message: string;
  contexts: string[];
}

export class ErrorsPanel {
  private errors: PageError[] = [];
  private nextId = 1;

  constructor(private readonly host: PanelHost) {}

  report(error: Error, context: string): void {
    console.error(`voxpool: ${context}:`, error);
    const same = this.errors.find((e) => e.message === error.message);
    this.set(
      same
        ? this.errors.map((e) => (e === same ? { ...e, contexts: [...e.contexts, context] } : e))
        : [...this.errors, { id: this.nextId++, message: error.message, contexts: [context] }].slice(-8),
    );
  }

  private set(errors: PageError[]): void {
    this.errors = errors;
    this.host.requestUpdate();
  }

  render(): unknown {
    if (!this.errors.length) return nothing;
    return html`<ul class="errors" role="alert">
      ${this.errors.map((err) => {
        const where = err.contexts.length > 3 ? `${err.contexts.slice(0, 3).join(', ')} and ${err.contexts.length - 3} more` : err.contexts.join(', ');
        return html`<li>
          <span><strong>${where}:</strong> ${err.message}</span>
          <button type="button" aria-label="Dismiss: ${where}: ${err.message}" @click=${() => this.set(this.errors.filter((x) => x !== err))}>Dismiss</button>
        </li>`;
      })}
    </ul>`;
  }
}
