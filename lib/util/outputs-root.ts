// Where generated files go: <repository>/outputs, or SMILE_LENS_OUTPUTS.
// (lib/run's outputsRoot() is to own this; until it lands, this function is
// the one place the notebook runner, the page export and the grader ask.)
import * as path from 'path';

export function outputsRoot(): string {
  return path.resolve(process.env.SMILE_LENS_OUTPUTS ?? path.join(__dirname, '..', '..', 'outputs'));
}
