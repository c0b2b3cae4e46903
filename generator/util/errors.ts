/** An error whose message is meant for the user as it is: the CLI prints it without a stack trace. */
export class BsnnError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BsnnError';
  }
}
