/**
 * A progress line on stderr, shown only on a TTY and only when the work takes more than a
 * moment (so quick scans and CI logs stay clean).
 */
export interface Progress {
  update(text: string): void;
  done(): void;
}

const DELAY_MS = 400;

export function startProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update() {}, done() {} };
  const started = Date.now();
  let text = '';
  let shown = false;
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let frame = 0;
  let last = 0;
  const draw = (): void => {
    const now = Date.now();
    if (now - started < DELAY_MS || now - last < 80) return;
    last = now;
    shown = true;
    frame = (frame + 1) % frames.length;
    stream.write(`\r\x1b[2K${frames[frame]} ${text}`);
  };
  const timer = setInterval(draw, 100);
  timer.unref();
  return {
    update(t) {
      text = t;
      // Synchronous phases block the timer, so updates draw too (throttled).
      draw();
    },
    done() {
      clearInterval(timer);
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}
