// Starts `go run ./cmd/monri mock` on a free loopback port in its own process
// group and resolves with its base URL once it prints the line it listens on.
import { spawn, type ChildProcess } from 'node:child_process';

export interface Mock {
  url: string;
  stop(): void;
}

export function startMock(repo: string, merchantKey: string, token: string): Promise<Mock> {
  const child: ChildProcess = spawn(
    process.env['GO'] ?? 'go',
    ['run', './cmd/monri', 'mock', '--addr', '127.0.0.1:0', '--merchant-key', merchantKey, '--authenticity-token', token],
    { cwd: repo, detached: true, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  // go run starts the mock as its child: stop the whole group, by its id.
  const stop = () => {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  };
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      out += chunk;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1]) resolve({ url: m[1], stop });
    });
    child.on('exit', (code) => reject(new Error(`monri mock exited (${code}) before listening:\n${out}`)));
    child.on('error', reject);
  });
}
