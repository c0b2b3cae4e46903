# build.tcl: Vivado project, block design and bitstream for the mnist_conv network (bsnn 0.1.0).
# Model hash ddeaa19c224deaae804729f29057cfcb644c34ca608b4bfb93969097910f2b3d.
#
#   vivado -mode batch -source vivado/build.tcl                             synthesis, implementation, bitstream
#   vivado -mode batch -source vivado/build.tcl -tclargs --no-bitstream     stop after synthesis
#   BSNN_NO_BITSTREAM=1 vivado -mode batch -source vivado/build.tcl         the same, set from the environment
#   ... -tclargs --ip-repo      take the core from the packaged IP in ../ip instead of a module reference
#   ... -tclargs --jobs N       parallel jobs for the runs (default 4)
#   ... -tclargs --allow-timing-violation   keep the bitstream when implementation misses the clock
#
# Target: TUL PYNQ-Z2 (--board pynq-z2), part xc7z020clg400-1. The PS7 takes the board preset when the board
# files are installed; otherwise this script sets the DDR, clock and MIO values itself (see ps7_fallback).
#
# Block design "system": processing_system7 ps7 (FCLK_CLK0 at 100 MHz clocks the whole PL, FCLK_RESET0_N through
# proc_sys_reset), AXI DMA axi_dma (MM2S -> core s_axis, core m_axis -> S2MM), axi_gp0 (M_AXI_GP0 -> DMA registers
# and core registers), axi_hp0 (DMA memory ports -> S_AXI_HP0), and irq_concat into IRQ_F2P: bit 0 DMA MM2S,
# bit 1 DMA S2MM, bit 2 core.
#
# The core comes in as a module reference of rtl/mnist_conv_axi.v by default: the build then depends on the RTL alone,
# and the .mem images are plain project files that $readmemh finds by name. --ip-repo uses ip/component.xml
# instead, the same core as an IP catalog entry.
#
# Outputs, all in this folder: project/ (the Vivado project), reports/ (utilisation, timing, power, addresses),
# and after a full run mnist_conv.bit + mnist_conv.hwh (a PYNQ overlay pair) and mnist_conv.xsa (for Vitis).

set here [file dirname [file normalize [info script]]]
set root [file dirname $here]

set design     mnist_conv
set top        mnist_conv_axi
set part       xc7z020clg400-1
set board      "pynq-z2"
set board_glob "*:pynq-z2:part0:*"
set board_parts [list tul.com.tw:pynq-z2:part0:1.0]
set bd         system

# PS7 settings of the board, used only when its board files are not installed.
set ps7_fallback [list \
    CONFIG.PCW_CRYSTAL_PERIPHERAL_FREQMHZ 50 \
    CONFIG.PCW_PRESET_BANK0_VOLTAGE {LVCMOS 3.3V} \
    CONFIG.PCW_PRESET_BANK1_VOLTAGE {LVCMOS 1.8V} \
    CONFIG.PCW_UIPARAM_DDR_MEMORY_TYPE {DDR 3} \
    CONFIG.PCW_UIPARAM_DDR_PARTNO {MT41J256M16 RE-125} \
    CONFIG.PCW_UIPARAM_DDR_BUS_WIDTH {16 Bit} \
    CONFIG.PCW_UIPARAM_DDR_FREQ_MHZ 525 \
    CONFIG.PCW_UIPARAM_DDR_BOARD_DELAY0 0.223 \
    CONFIG.PCW_UIPARAM_DDR_BOARD_DELAY1 0.212 \
    CONFIG.PCW_UIPARAM_DDR_BOARD_DELAY2 0.085 \
    CONFIG.PCW_UIPARAM_DDR_BOARD_DELAY3 0.092 \
    CONFIG.PCW_UIPARAM_DDR_DQS_TO_CLK_DELAY_0 0.040 \
    CONFIG.PCW_UIPARAM_DDR_DQS_TO_CLK_DELAY_1 0.058 \
    CONFIG.PCW_UIPARAM_DDR_DQS_TO_CLK_DELAY_2 -0.009 \
    CONFIG.PCW_UIPARAM_DDR_DQS_TO_CLK_DELAY_3 -0.033 \
    CONFIG.PCW_UART0_PERIPHERAL_ENABLE 1 \
    CONFIG.PCW_UART0_UART0_IO {MIO 14 .. 15} \
    CONFIG.PCW_SD0_PERIPHERAL_ENABLE 1 \
    CONFIG.PCW_SD0_SD0_IO {MIO 40 .. 45} \
    CONFIG.PCW_SD0_GRP_CD_ENABLE 1 \
    CONFIG.PCW_SD0_GRP_CD_IO {MIO 47} \
]

# Files, relative to the output folder.
set rtl_files {
    rtl/mnist_conv_lfsr_k4.v
    rtl/mnist_conv_encoder.v
    rtl/mnist_conv_layer0.v
    rtl/mnist_conv_layer1.v
    rtl/mnist_conv_layer2.v
    rtl/mnist_conv_layer3.v
    rtl/mnist_conv_top.v
    rtl/mnist_conv_axi.v
}
set mem_files {
    mem/mnist_conv_layer0_prob.mem
    mem/mnist_conv_layer0_thr.mem
    mem/mnist_conv_layer0_bias.mem
    mem/mnist_conv_layer1_prob.mem
    mem/mnist_conv_layer1_thr.mem
    mem/mnist_conv_layer1_bias.mem
    mem/mnist_conv_layer2_prob.mem
    mem/mnist_conv_layer2_thr.mem
    mem/mnist_conv_layer2_bias.mem
    mem/mnist_conv_layer3_prob.mem
    mem/mnist_conv_layer3_bias.mem
}
set xdc_files {
    constraints/pynq-z2.xdc
}

# ---- options ----
set no_bitstream 0
set use_ip_repo  0
set jobs         4
set allow_timing 0
if {[info exists ::env(BSNN_NO_BITSTREAM)] && $::env(BSNN_NO_BITSTREAM) ni {"" 0}} { set no_bitstream 1 }
if {![info exists argv]} { set argv {} }
for {set i 0} {$i < [llength $argv]} {incr i} {
    set a [lindex $argv $i]
    switch -- $a {
        --no-bitstream { set no_bitstream 1 }
        --ip-repo      { set use_ip_repo 1 }
        --jobs         { incr i; set jobs [lindex $argv $i] }
        --allow-timing-violation { set allow_timing 1 }
        default        { error "build.tcl: unknown option \"$a\" (known: --no-bitstream, --ip-repo, --jobs N, --allow-timing-violation)" }
    }
}
if {![string is integer -strict $jobs] || $jobs < 1} { error "build.tcl: --jobs needs a positive integer" }

proc bsnn_abs {root files} {
    set out {}
    foreach f $files { lappend out [file join $root $f] }
    return $out
}

proc bsnn_check_run {run} {
    set status [get_property STATUS [get_runs $run]]
    if {![string match "*Complete*" $status] || [string match "*ERROR*" $status]} {
        error "build.tcl: $run did not complete ($status); its log is in [get_property DIRECTORY [get_runs $run]]"
    }
}

if {[llength [get_parts -quiet $part]] == 0} {
    error "build.tcl: this Vivado has no part $part (install the Zynq-7000 devices with the Vivado installer)"
}

# ---- project ----
set proj_dir [file join $here project]
set reports  [file join $here reports]
file mkdir $reports
create_project -force ${design}_zynq $proj_dir -part $part
set_property target_language Verilog [current_project]

# Board files: the first installed name, else any installed version of the same board.
set board_part ""
foreach bp $board_parts {
    if {[llength [get_board_parts -quiet $bp]]} { set board_part $bp; break }
}
if {$board_part eq "" && $board_glob ne ""} {
    set found [get_board_parts -quiet -latest_file_version $board_glob]
    if {[llength $found]} { set board_part [lindex $found 0] }
}
if {$board_part ne ""} {
    set_property board_part $board_part [current_project]
    puts "bsnn: board files $board_part"
} elseif {$board ne ""} {
    puts "bsnn: no board files for $board are installed; the PS7 is configured from build.tcl instead"
}

# ---- sources ----
if {$use_ip_repo} {
    set_property ip_repo_paths [list [file join $root ip]] [current_project]
    update_ip_catalog -rebuild
} else {
    add_files -norecurse -fileset sources_1 [bsnn_abs $root $rtl_files]
}
# The weight, threshold and bias images: found by name by the RTL's $readmemh in either case.
add_files -norecurse -fileset sources_1 [bsnn_abs $root $mem_files]
set_property file_type {Memory Initialization Files} [get_files [bsnn_abs $root $mem_files]]
if {[llength $xdc_files]} {
    add_files -norecurse -fileset constrs_1 [bsnn_abs $root $xdc_files]
}
update_compile_order -fileset sources_1

# ---- block design ----
create_bd_design $bd
set bd_file [get_files $bd.bd]
# One global synthesis for the block design: the core's .mem images are found as in a plain RTL project,
# not looked for inside an out-of-context run per block.
set_property synth_checkpoint_mode None $bd_file

set ps7 [create_bd_cell -type ip -vlnv xilinx.com:ip:processing_system7 ps7]
apply_bd_automation -rule xilinx.com:bd_rule:processing_system7 \
    -config [list make_external "FIXED_IO, DDR" apply_board_preset [expr {$board_part ne "" ? 1 : 0}] Master Disable Slave Disable] $ps7
if {$board_part eq "" && [llength $ps7_fallback]} {
    set_property -dict $ps7_fallback $ps7
}
# FCLK_CLK0 = IO PLL (1000 MHz) / 10: bsnn plans only clocks the PS7's dividers make.
set_property -dict [list \
    CONFIG.PCW_FCLK0_PERIPHERAL_CLKSRC {IO PLL} \
    CONFIG.PCW_FPGA0_PERIPHERAL_FREQMHZ 100 \
    CONFIG.PCW_EN_CLK0_PORT 1 \
    CONFIG.PCW_EN_RST0_PORT 1 \
    CONFIG.PCW_USE_M_AXI_GP0 1 \
    CONFIG.PCW_USE_S_AXI_HP0 1 \
    CONFIG.PCW_USE_FABRIC_INTERRUPT 1 \
    CONFIG.PCW_IRQ_F2P_INTR 1 \
] $ps7
set fclk_act [get_property CONFIG.PCW_ACT_FPGA0_PERIPHERAL_FREQMHZ $ps7]
puts "bsnn: FCLK_CLK0 asked 100 MHz, PS7 gives $fclk_act MHz"
# A faster clock than planned is one the estimate never checked (an IO PLL other than 1000 MHz): stop.
if {[string is double -strict $fclk_act] && $fclk_act > 100 * 1.0001} {
    error "build.tcl: the PS7 makes FCLK_CLK0 $fclk_act MHz, faster than the 100 MHz bsnn planned; regenerate with a --clock-mhz the PS7 makes"
}

if {$use_ip_repo} {
    set core [create_bd_cell -type ip -vlnv bsnn:user:mnist_conv_axi:1.0 bsnn_core]
} else {
    set core [create_bd_cell -type module -reference $top bsnn_core]
    # What ip/component.xml declares, said to the module reference too: one clock for all three interfaces.
    if {[catch {set_property -dict [list CONFIG.ASSOCIATED_BUSIF s_axi:s_axis:m_axis CONFIG.ASSOCIATED_RESET aresetn] [get_bd_pins bsnn_core/aclk]} msg]} {
        puts "bsnn: warning: could not set the clock associations of bsnn_core/aclk ($msg)"
    }
}

# AXI DMA, simple mode. Stream widths are the core's: s_axis 8 bits, m_axis 32 bits.
set dma [create_bd_cell -type ip -vlnv xilinx.com:ip:axi_dma axi_dma]
set_property -dict [list \
    CONFIG.c_include_sg 0 \
    CONFIG.c_sg_include_stscntrl_strm 0 \
    CONFIG.c_sg_length_width 26 \
    CONFIG.c_m_axi_mm2s_data_width 32 \
    CONFIG.c_m_axis_mm2s_tdata_width 8 \
    CONFIG.c_m_axi_s2mm_data_width 32 \
    CONFIG.c_s_axis_s2mm_tdata_width 32 \
    CONFIG.c_mm2s_burst_size 16 \
    CONFIG.c_s2mm_burst_size 16 \
] $dma

set gp0 [create_bd_cell -type ip -vlnv xilinx.com:ip:axi_interconnect axi_gp0]
set_property -dict [list CONFIG.NUM_SI 1 CONFIG.NUM_MI 2] $gp0
set hp0 [create_bd_cell -type ip -vlnv xilinx.com:ip:axi_interconnect axi_hp0]
set_property -dict [list CONFIG.NUM_SI 2 CONFIG.NUM_MI 1] $hp0
set rst [create_bd_cell -type ip -vlnv xilinx.com:ip:proc_sys_reset rst_fclk0]
set irqs [create_bd_cell -type ip -vlnv xilinx.com:ip:xlconcat irq_concat]
set_property CONFIG.NUM_PORTS 3 $irqs

# ---- connections ----
connect_bd_intf_net [get_bd_intf_pins ps7/M_AXI_GP0]        [get_bd_intf_pins axi_gp0/S00_AXI]
connect_bd_intf_net [get_bd_intf_pins axi_gp0/M00_AXI]      [get_bd_intf_pins axi_dma/S_AXI_LITE]
connect_bd_intf_net [get_bd_intf_pins axi_gp0/M01_AXI]      [get_bd_intf_pins bsnn_core/s_axi]
connect_bd_intf_net [get_bd_intf_pins axi_dma/M_AXI_MM2S]   [get_bd_intf_pins axi_hp0/S00_AXI]
connect_bd_intf_net [get_bd_intf_pins axi_dma/M_AXI_S2MM]   [get_bd_intf_pins axi_hp0/S01_AXI]
connect_bd_intf_net [get_bd_intf_pins axi_hp0/M00_AXI]      [get_bd_intf_pins ps7/S_AXI_HP0]
connect_bd_intf_net [get_bd_intf_pins axi_dma/M_AXIS_MM2S]  [get_bd_intf_pins bsnn_core/s_axis]
connect_bd_intf_net [get_bd_intf_pins bsnn_core/m_axis]  [get_bd_intf_pins axi_dma/S_AXIS_S2MM]

connect_bd_net [get_bd_pins ps7/FCLK_CLK0] \
    [get_bd_pins ps7/M_AXI_GP0_ACLK] [get_bd_pins ps7/S_AXI_HP0_ACLK] [get_bd_pins rst_fclk0/slowest_sync_clk] \
    [get_bd_pins axi_gp0/ACLK] [get_bd_pins axi_gp0/S00_ACLK] [get_bd_pins axi_gp0/M00_ACLK] [get_bd_pins axi_gp0/M01_ACLK] \
    [get_bd_pins axi_hp0/ACLK] [get_bd_pins axi_hp0/S00_ACLK] [get_bd_pins axi_hp0/S01_ACLK] [get_bd_pins axi_hp0/M00_ACLK] \
    [get_bd_pins axi_dma/s_axi_lite_aclk] [get_bd_pins axi_dma/m_axi_mm2s_aclk] [get_bd_pins axi_dma/m_axi_s2mm_aclk] \
    [get_bd_pins bsnn_core/aclk]
connect_bd_net [get_bd_pins ps7/FCLK_RESET0_N] [get_bd_pins rst_fclk0/ext_reset_in]
connect_bd_net [get_bd_pins rst_fclk0/interconnect_aresetn] [get_bd_pins axi_gp0/ARESETN] [get_bd_pins axi_hp0/ARESETN]
connect_bd_net [get_bd_pins rst_fclk0/peripheral_aresetn] \
    [get_bd_pins axi_gp0/S00_ARESETN] [get_bd_pins axi_gp0/M00_ARESETN] [get_bd_pins axi_gp0/M01_ARESETN] \
    [get_bd_pins axi_hp0/S00_ARESETN] [get_bd_pins axi_hp0/S01_ARESETN] [get_bd_pins axi_hp0/M00_ARESETN] \
    [get_bd_pins axi_dma/axi_resetn] [get_bd_pins bsnn_core/aresetn]
connect_bd_net [get_bd_pins axi_dma/mm2s_introut] [get_bd_pins irq_concat/In0]
connect_bd_net [get_bd_pins axi_dma/s2mm_introut] [get_bd_pins irq_concat/In1]
connect_bd_net [get_bd_pins bsnn_core/irq] [get_bd_pins irq_concat/In2]
connect_bd_net [get_bd_pins irq_concat/dout] [get_bd_pins ps7/IRQ_F2P]

# ---- addresses: Vivado's choice, written down for the host side ----
assign_bd_address
set fh [open [file join $reports addresses.txt] w]
foreach seg [lsort [get_bd_addr_segs -of_objects [get_bd_addr_spaces ps7/Data]]] {
    set line [format "%-36s offset %s range %s" $seg [get_property OFFSET $seg] [get_property RANGE $seg]]
    puts $fh $line
    puts "bsnn: $line"
}
close $fh

validate_bd_design
save_bd_design
set wrapper [make_wrapper -files $bd_file -top]
add_files -norecurse -fileset sources_1 $wrapper
set_property top ${bd}_wrapper [current_fileset]
update_compile_order -fileset sources_1

# ---- synthesis ----
launch_runs synth_1 -jobs $jobs
wait_on_run synth_1
bsnn_check_run synth_1
open_run synth_1 -name synth_1
report_utilization    -file [file join $reports utilization_synth.rpt]
report_timing_summary -file [file join $reports timing_synth.rpt]
report_power          -file [file join $reports power_synth.rpt]

if {$no_bitstream} {
    puts "bsnn: stopped after synthesis (--no-bitstream)"
} else {
    # ---- implementation and bitstream ----
    launch_runs impl_1 -to_step write_bitstream -jobs $jobs
    wait_on_run impl_1
    bsnn_check_run impl_1
    open_run impl_1
    report_utilization    -file [file join $reports utilization_impl.rpt]
    report_timing_summary -file [file join $reports timing_impl.rpt]
    report_power          -file [file join $reports power_impl.rpt]
    # A design that misses its clock is not shipped: its results could be wrong on the board.
    set wns [get_property STATS.WNS [get_runs impl_1]]
    if {[string is double -strict $wns] && $wns < 0} {
        set msg "timing not met at 100 MHz (WNS $wns ns): regenerate with a lower --clock-mhz"
        if {!$allow_timing} { error "build.tcl: $msg (or pass -tclargs --allow-timing-violation to keep the bitstream anyway)" }
        puts "bsnn: warning: $msg; kept because of --allow-timing-violation"
    }
    # A PYNQ overlay is a .bit and a .hwh of the same name side by side.
    set bit [file join [get_property DIRECTORY [get_runs impl_1]] ${bd}_wrapper.bit]
    if {![file exists $bit]} { error "build.tcl: implementation finished but $bit is missing" }
    file copy -force $bit [file join $here $design.bit]
    set hwh [lindex [glob -nocomplain -directory $proj_dir -- */sources_1/bd/$bd/hw_handoff/$bd.hwh] 0]
    if {$hwh eq ""} {
        puts "bsnn: warning: no $bd.hwh under $proj_dir; PYNQ needs it next to $design.bit"
    } else {
        file copy -force $hwh [file join $here $design.hwh]
    }
    write_hw_platform -fixed -include_bit -force -file [file join $here $design.xsa]
    puts "bsnn: bitstream [file join $here $design.bit]"
}
puts "bsnn: reports in $reports"
