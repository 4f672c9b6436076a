// "Leave room ABC234?": leaving is for good (the others see you go, your place is given up), so it
// is asked first. A modal <dialog>: focus starts on "Stay", Escape means stay, and focus returns to
// the Leave button when it closes.
import { useLayoutEffect, useRef } from 'preact/hooks';

export interface LeaveDialogProps {
  readonly code: string;
  /** Others in the room (present ones), to say who sees you leave. */
  readonly others: number;
  readonly onLeave: () => void;
  readonly onStay: () => void;
}

export function LeaveDialog({ code, others, onLeave, onStay }: LeaveDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const stay = useRef<HTMLButtonElement>(null);

  useLayoutEffect(() => {
    const el = dialog.current;
    if (!el) return;
    // showModal makes the rest of the page inert; a browser without it still shows the dialog.
    if (typeof el.showModal === 'function' && !el.open) el.showModal();
    else el.setAttribute('open', '');
    stay.current?.focus();
    return () => {
      if (el.open && typeof el.close === 'function') el.close();
    };
  }, []);

  return (
    <dialog
      ref={dialog}
      class="dialog"
      data-testid="leave-dialog"
      aria-labelledby="leave-title"
      aria-describedby="leave-text"
      onCancel={(e) => {
        e.preventDefault();
        onStay();
      }}
    >
      <h2 id="leave-title">Leave room {code}?</h2>
      <p id="leave-text">
        {others > 0
          ? `The ${others === 1 ? 'other member sees' : `${others} others see`} you leave, and this conversation is cleared from this device.`
          : 'Nobody else is here: the room closes when you leave, and this conversation is cleared from this device.'}
      </p>
      <div class="dialog-actions">
        <button type="button" class="button" ref={stay} data-testid="leave-stay" onClick={onStay}>
          Stay
        </button>
        <button type="button" class="button danger" data-testid="leave-confirm" onClick={onLeave}>
          Leave room
        </button>
      </div>
    </dialog>
  );
}
