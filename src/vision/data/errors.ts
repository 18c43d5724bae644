/**
 * A file that is not what its loader expects. The message names the file and what is wrong with it;
 * `code` is stable so the CLI (and a server) can report it without parsing text.
 */
export class DataFormatError extends Error {
  readonly code = 'VISION_DATA_FORMAT';
  readonly file: string;

  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'DataFormatError';
    this.file = file;
  }
}
