/**
 * What gen-rtl builds for: a board (its part, board files and XDC) or a bare part, from --board/--part.
 * No flag at all means the default board.
 */
import { BsnnError } from '../util/errors.js';
import { type Board, BOARDS, boardNames, DEFAULT_BOARD, findBoard } from './boards.js';
import { deviceOf, parseZynqPart, ZYNQ7000_DEVICES } from './part.js';

export interface Target {
  /** The board, or null for a bare --part (no board preset, no board XDC). */
  board: Board | null;
  /** Full Vivado part name. */
  part: string;
}

export interface TargetOptions {
  board?: string;
  part?: string;
}

const boardList = () => boardNames().join(', ');

export function resolveTarget(o: TargetOptions = {}): Target {
  let board: Board | null = null;
  if (o.board !== undefined) {
    const b = findBoard(o.board);
    if (!b) throw new BsnnError(`--board: "${o.board}" is not a board bsnn knows; the boards are ${boardList()} (or give --part for any other Zynq-7000 part)`);
    board = b;
  }
  if (o.part === undefined) {
    const b = board ?? findBoard(DEFAULT_BOARD)!;
    return { board: b, part: b.part };
  }
  const p = parseZynqPart(o.part);
  const known = p ? undefined : deviceOf(o.part);
  if (known) {
    // A bare device ("xc7z020") or an ordering code ("XC7Z020-1CLG400C"): name the full part Vivado wants.
    const example = BOARDS.find((b) => b.part.startsWith(known.device))?.part ?? `${known.device}clg400-1`;
    const what = known.form === 'device' ? 'names a device only' : 'is an ordering code, not a Vivado part name';
    throw new BsnnError(`--part: "${o.part}" ${what}; give its package and speed grade as Vivado spells them, e.g. ${example}, or --board with one of ${boardList()}`);
  }
  if (!p) {
    throw new BsnnError(
      `--part: "${o.part}" is not a Zynq-7000 part name; give device, package and speed grade as Vivado spells them, ` +
        `e.g. xc7z020clg400-1 (devices ${ZYNQ7000_DEVICES.join(', ')}), or --board with one of ${boardList()}`,
    );
  }
  if (board && board.part !== p.part) {
    throw new BsnnError(`--part: ${p.part} is not the part on --board ${board.name} (${board.part}); give --board alone, or --part alone for a board bsnn does not know`);
  }
  return { board, part: p.part };
}
