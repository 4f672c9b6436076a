// A dismissable error message.

export interface ErrorBannerProps {
  readonly message: string | null;
  readonly onDismiss: () => void;
  readonly testId?: string;
}

export function ErrorBanner({ message, onDismiss, testId = 'room-error' }: ErrorBannerProps) {
  // The live region stays mounted so screen readers announce each new message.
  return (
    <div class="banner-slot" role="alert">
      {message && (
        <div class="banner" data-testid={testId}>
          <span>{message}</span>
          <button type="button" class="dismiss" onClick={onDismiss} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
    </div>
  );
}
