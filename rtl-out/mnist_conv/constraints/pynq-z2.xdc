## pynq-z2.xdc: board constraints of a bsnn design on the TUL PYNQ-Z2 (xc7z020clg400-1).
##
## Nothing here places a pin, on purpose. A bsnn design has no I/O of its own on this board: the core sits
## in the PL behind the processing system's AXI ports, and everything it needs comes from the PS:
##   - clock: FCLK_CLK0. The processing_system7 IP writes the create_clock for it itself, at the frequency
##     vivado/build.tcl sets (gen-rtl --clock-mhz, default 100 MHz), so no clock constraint belongs here.
##     The board's own PL oscillator is not used.
##   - reset: FCLK_RESET0_N, through proc_sys_reset.
##   - DDR and MIO: dedicated PS pins, set by the board preset (or by build.tcl when the board files are
##     missing), not by XDC.
## There is one clock domain, so there are no clock-crossing exceptions either.
##
## If you route a signal to a board pin (an LED for irq, say), take PACKAGE_PIN and IOSTANDARD from the
## board maker's master XDC, not from memory: a wrong pin can drive against the board.
