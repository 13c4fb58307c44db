/** Test handler in the callback style Node.js Lambda runtimes (before 24) accept. */
export const handler = (event: { fail?: boolean }, _context: unknown, callback: (e: unknown, r?: unknown) => void) => {
  setTimeout(() => (event.fail ? callback(new Error('callback failure')) : callback(null, { style: 'callback' })), 5);
};
