/** Writes two lines to stdout (a JSON log line and plain text), as a function's logs and EMF would. */
export const handler = async (event: { n: number }) => {
  console.log(JSON.stringify({ message: 'hello', n: event.n }));
  process.stdout.write('plain text line\n');
  return 'done';
};
