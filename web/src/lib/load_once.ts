// A load that runs once and is shared by every caller (a Wasm module, a chunk): a failed one is
// forgotten, so the next call tries again; reset() drops a load already started, so the next
// call starts over (with options given meanwhile).
export interface LoadOnce<T> {
  get(): Promise<T>;
  reset(): void;
}

export function loadOnce<T>(start: () => Promise<T>): LoadOnce<T> {
  let loading: Promise<T> | null = null;
  return {
    get() {
      if (!loading) {
        // A start that throws at once (no WebAssembly here) becomes a rejection like any other.
        const attempt = new Promise<T>((resolve) => resolve(start()));
        loading = attempt;
        attempt.catch(() => {
          if (loading === attempt) loading = null;
        });
      }
      return loading;
    },
    reset() {
      loading = null;
    },
  };
}
