/**
 * The boards `gen-rtl --board` knows: the Zynq-7000 part on each, the Vivado board_part names that carry its
 * PS7 preset, and the PS7 settings build.tcl applies by hand when those board files are not installed.
 *
 * Where each name and value comes from (looked up in public copies, not checked on a Vivado install here):
 * - tul.com.tw:pynq-z2:part0:1.0 — TUL's board files, as named by many public PYNQ-Z2 Vivado scripts.
 * - avnet.com:zedboard:part0:1.4 — the ZedBoard files in Xilinx's board store (Vivado 2019+); older
 *   installs have Digilent's digilentinc.com:zedboard:part0:1.0/1.1.
 * - digilentinc.com:zybo-z7-{10,20}:part0:1.0/1.1/1.2 — Digilent's vivado-boards repository
 *   (board.xml file_version 1.0 in A.0/, 1.1 and 1.2 in A.0/1.1, A.0/1.2).
 * Names that are not installed are skipped at build time; the glob then finds any other version.
 *
 * PS7 fallback values: Zybo Z7-10/-20 from Digilent's preset.xml (identical for both boards); PYNQ-Z2 checked
 * value by value against Xilinx's own PYNQ-Z2 design, the PS7 of the PYNQ image's hardware project
 * (github.com/Xilinx/PYNQ, boards/Pynq-Z2/petalinux_bsp/hardware_project/pynqz2.tcl, commit 10fb03dc): 50 MHz
 * crystal; DDR3 (1.5 V, not DDR3L) as MT41J256M16 RE-125 (4 Gbit x16: the board's 512 MB, PYNQ docs pynqz2.rst),
 * 16-bit bus, 525 MHz (1050 MT/s); the board's trace delays for DDR training (DQ byte lanes 2-3 are unused on a 16-bit bus); MIO
 * bank 0 at 3.3 V, bank 1 at 1.8 V; UART0 on MIO 14..15; SD0 on MIO 40..45 with card detect on MIO 47;
 * ZedBoard uses the processing_system7 IP's own built-in "ZedBoard" preset, which Digilent's ZedBoard
 * preset.xml also points to. Only what a bsnn design and a boot image need is set: crystal, DDR, MIO bank
 * voltages, UART and SD card; Ethernet, USB and QSPI are left to the board files.
 */

export type BoardName = 'pynq-z2' | 'zedboard' | 'zybo-z7-20' | 'zybo-z7-10';

export interface Board {
  name: BoardName;
  /** What the board is called by its maker. */
  title: string;
  /** Full Vivado part name. */
  part: string;
  /** Vivado board_part names, tried in this order. */
  boardParts: readonly string[];
  /** get_board_parts pattern for any other installed version of the same board files. */
  boardPartGlob: string;
  /** processing_system7 CONFIG.* settings (without the CONFIG. prefix) used when no board files are installed. */
  ps7Fallback: readonly (readonly [string, string])[];
}

const zyboPs7: Board['ps7Fallback'] = [
  ['PCW_CRYSTAL_PERIPHERAL_FREQMHZ', '33.333333'],
  ['PCW_PRESET_BANK0_VOLTAGE', 'LVCMOS 3.3V'],
  ['PCW_PRESET_BANK1_VOLTAGE', 'LVCMOS 1.8V'],
  ['PCW_UIPARAM_DDR_MEMORY_TYPE', 'DDR 3 (Low Voltage)'],
  ['PCW_UIPARAM_DDR_PARTNO', 'MT41K256M16 RE-125'],
  ['PCW_UIPARAM_DDR_BUS_WIDTH', '32 Bit'],
  ['PCW_UIPARAM_DDR_FREQ_MHZ', '533.333333'],
  ['PCW_UART1_PERIPHERAL_ENABLE', '1'],
  ['PCW_UART1_UART1_IO', 'MIO 48 .. 49'],
  ['PCW_SD0_PERIPHERAL_ENABLE', '1'],
  ['PCW_SD0_SD0_IO', 'MIO 40 .. 45'],
  ['PCW_SD0_GRP_CD_ENABLE', '1'],
  ['PCW_SD0_GRP_CD_IO', 'MIO 47'],
];

export const BOARDS: readonly Board[] = [
  {
    name: 'pynq-z2',
    title: 'TUL PYNQ-Z2',
    part: 'xc7z020clg400-1',
    boardParts: ['tul.com.tw:pynq-z2:part0:1.0'],
    boardPartGlob: '*:pynq-z2:part0:*',
    ps7Fallback: [
      ['PCW_CRYSTAL_PERIPHERAL_FREQMHZ', '50'],
      ['PCW_PRESET_BANK0_VOLTAGE', 'LVCMOS 3.3V'],
      ['PCW_PRESET_BANK1_VOLTAGE', 'LVCMOS 1.8V'],
      ['PCW_UIPARAM_DDR_MEMORY_TYPE', 'DDR 3'],
      ['PCW_UIPARAM_DDR_PARTNO', 'MT41J256M16 RE-125'],
      ['PCW_UIPARAM_DDR_BUS_WIDTH', '16 Bit'],
      ['PCW_UIPARAM_DDR_FREQ_MHZ', '525'],
      ['PCW_UIPARAM_DDR_BOARD_DELAY0', '0.223'],
      ['PCW_UIPARAM_DDR_BOARD_DELAY1', '0.212'],
      ['PCW_UIPARAM_DDR_BOARD_DELAY2', '0.085'],
      ['PCW_UIPARAM_DDR_BOARD_DELAY3', '0.092'],
      ['PCW_UIPARAM_DDR_DQS_TO_CLK_DELAY_0', '0.040'],
      ['PCW_UIPARAM_DDR_DQS_TO_CLK_DELAY_1', '0.058'],
      ['PCW_UIPARAM_DDR_DQS_TO_CLK_DELAY_2', '-0.009'],
      ['PCW_UIPARAM_DDR_DQS_TO_CLK_DELAY_3', '-0.033'],
      ['PCW_UART0_PERIPHERAL_ENABLE', '1'],
      ['PCW_UART0_UART0_IO', 'MIO 14 .. 15'],
      ['PCW_SD0_PERIPHERAL_ENABLE', '1'],
      ['PCW_SD0_SD0_IO', 'MIO 40 .. 45'],
      ['PCW_SD0_GRP_CD_ENABLE', '1'],
      ['PCW_SD0_GRP_CD_IO', 'MIO 47'],
    ],
  },
  {
    name: 'zedboard',
    title: 'Avnet/Digilent ZedBoard',
    part: 'xc7z020clg484-1',
    boardParts: ['avnet.com:zedboard:part0:1.4', 'digilentinc.com:zedboard:part0:1.1', 'digilentinc.com:zedboard:part0:1.0'],
    boardPartGlob: '*:zedboard:part0:*',
    ps7Fallback: [['preset', 'ZedBoard']],
  },
  {
    name: 'zybo-z7-20',
    title: 'Digilent Zybo Z7-20',
    part: 'xc7z020clg400-1',
    boardParts: ['digilentinc.com:zybo-z7-20:part0:1.2', 'digilentinc.com:zybo-z7-20:part0:1.1', 'digilentinc.com:zybo-z7-20:part0:1.0'],
    boardPartGlob: '*:zybo-z7-20:part0:*',
    ps7Fallback: zyboPs7,
  },
  {
    name: 'zybo-z7-10',
    title: 'Digilent Zybo Z7-10',
    part: 'xc7z010clg400-1',
    boardParts: ['digilentinc.com:zybo-z7-10:part0:1.2', 'digilentinc.com:zybo-z7-10:part0:1.1', 'digilentinc.com:zybo-z7-10:part0:1.0'],
    boardPartGlob: '*:zybo-z7-10:part0:*',
    ps7Fallback: zyboPs7,
  },
];

export const DEFAULT_BOARD: BoardName = 'pynq-z2';

export const boardNames = (): string[] => BOARDS.map((b) => b.name);

export function findBoard(name: string): Board | undefined {
  return BOARDS.find((b) => b.name === name.trim().toLowerCase());
}

/** The XDC file of a board, relative to the package root and to the output folder alike. */
export const boardXdcPath = (b: Board): string => `constraints/${b.name}.xdc`;
