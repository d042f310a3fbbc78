// Where long work stood, for the message a command prints when it is
// interrupted: every live line that is not done yet leaves its latest text
// here (seed 2 at epoch 5/12, 140/300 images drawn…), and a stage may leave
// what it finished. The command line prints them above how to resume.
const open = new Map<object, string>();

/** Records `text` as the state of `owner` (a line, a stage); undefined forgets it. */
export function noteState(owner: object, text: string | undefined): void {
  if (text === undefined) open.delete(owner);
  else open.set(owner, text);
}

/** The states noted and not yet forgotten, oldest first. */
export function currentStates(): string[] {
  return [...open.values()];
}
