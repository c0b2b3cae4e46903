`timescale 1ns / 1ps
// mnist_conv_axi: AXI wrapper of mnist_conv_top (the mnist_conv network, T = 8, S = 1, 784 inputs, 10 classes)
// for a Zynq-7000 PS/PL system. Model hash ddeaa19c224deaae804729f29057cfcb644c34ca608b4bfb93969097910f2b3d.
//
// Clock aclk; reset aresetn, active low, synchronous. The AXI4-Lite channels take aresetn directly; the core and
// the rest of the wrapper take rst_q, one register after aresetn or a soft reset (no reset logic in front of
// every flip-flop). Every VALID output is low from the cycle after aresetn is sampled low.
//
// s_axis (AXI4-Stream slave, 8-bit): one input intensity per beat, 784 beats per sample, TLAST on the last.
//   Beats are written into the core's input memory in order. After beat 784 (which must carry TLAST) the
//   core starts (when CONTROL.start_on_stream is set; otherwise on a CONTROL.start write). A TLAST before
//   beat 784, or a beat 784 without TLAST, sets STATUS.error and drops the sample (without TLAST, every beat up
//   to and including the next TLAST is dropped). TREADY is low while a complete sample waits to start, and
//   while the core runs until it has read its inputs: with direct input the next sample streams in during the
//   inference (after its first timestep's scan), so samples sent back to back overlap inferences; with rate
//   input the core reads its inputs every timestep and TREADY stays low until it is done.
// m_axis (AXI4-Stream master, 32-bit): after each inference 12 beats: beat 0 = class,
//   beats 1..10 = votes of classes 0..9 (signed: summed potentials, sign-extended), beat 11 = cycles of that inference (TLAST). TDATA and TLAST
//   only change after a handshake (full back-pressure). A new inference starts only once all beats are out.
//   TKEEP is all ones (every beat is a full 32-bit word).
// CONTROL.soft_reset never breaks a handshake: written while results are on m_axis, it waits until the beat
//   with TLAST is accepted (the packet is finished), then resets. s_axis takes no beat while it waits.
// s_axi (AXI4-Lite slave, 32-bit data, 8-bit byte address, OKAY responses, AW and W in either order).
//   Writes to CONTROL and STATUS take effect when WSTRB[0] is set, to SEED byte by byte as WSTRB says; other
//   registers ignore writes.
//   Unmapped addresses read as 0.
// irq: high while STATUS.done is set and CONTROL.irq_enable is on.
//
// Register map:
//   0x00 CONTROL     RW   bit0 start_on_stream (reset 1): a complete sample on s_axis starts the core;
//                         bit1 soft_reset (self-clearing): resets the core and the wrapper except CONTROL, SEED and the AXI4-Lite channels, after m_axis has sent the TLAST beat of a packet in progress;
//                         bit2 irq_enable;
//                         bit3 start (self-clearing, reads 0): start on the input memory as it is, ignored while busy or mid-sample
//   0x04 STATUS      RW1C bit0 busy (RO: an inference runs or its results are still on m_axis);
//                         bit1 done (sticky, write 1 to clear);
//                         bit2 error (sticky, write 1 to clear: TLAST early or missing, sample dropped);
//                         bit3 sample_loaded (RO)
//   0x08 TIMESTEPS   RO   T, timesteps per sample
//   0x0C SAMPLES     RO   S, weight samples per inference
//   0x10 SEED        RW   runtime seed (reset 0, byte strobes honoured): the core takes it when an inference starts, and every random stream starts at seed(id) ^ SEED (seed(id) where that is 0;
//                         docs/semantics.md §1.2);
//                         0 replays the model's own streams
//   0x14 CYCLES      RO   clock cycles of the last inference (core start to done)
//   0x18 SPIKES      RO   spikes readout: output spikes of the last inference (sum of the votes);
//                         potential readout: spikes of the hidden layers in the last inference (the readout layer does not spike)
//   0x1C RESULT      RO   class of the last inference
//   0x20 INFERENCES  RO   inferences completed since reset or soft reset
//   0x24 ID_FORMAT   RO   0x00B50001: "bsnn/1"
//   0x28 MODEL_HASH0 RO   model hash bits 255..224 (word 0 = most significant of the first 256 bits)
//   0x2C MODEL_HASH1 RO   model hash bits 223..192 (word 0 = most significant of the first 256 bits)
//   0x30 MODEL_HASH2 RO   model hash bits 191..160 (word 0 = most significant of the first 256 bits)
//   0x34 MODEL_HASH3 RO   model hash bits 159..128 (word 0 = most significant of the first 256 bits)
//   0x38 MODEL_HASH4 RO   model hash bits 127..96 (word 0 = most significant of the first 256 bits)
//   0x3C MODEL_HASH5 RO   model hash bits 95..64 (word 0 = most significant of the first 256 bits)
//   0x40 MODEL_HASH6 RO   model hash bits 63..32 (word 0 = most significant of the first 256 bits)
//   0x44 MODEL_HASH7 RO   model hash bits 31..0 (word 0 = most significant of the first 256 bits)
//   0x48 MODEL_SEED  RO   master seed of the model (the seed(id) of every stream derives from it)
module mnist_conv_axi (
    input  wire        aclk,
    input  wire        aresetn,
    // AXI4-Stream slave: input intensities
    input  wire [7:0]  s_axis_tdata,
    input  wire        s_axis_tvalid,
    output wire        s_axis_tready,
    input  wire        s_axis_tlast,
    // AXI4-Stream master: class, votes, cycles
    output wire [31:0] m_axis_tdata,
    output wire        m_axis_tvalid,
    input  wire        m_axis_tready,
    output wire        m_axis_tlast,
    output wire [3:0]  m_axis_tkeep,
    // AXI4-Lite slave: registers
    input  wire [7:0]  s_axi_awaddr,
    input  wire        s_axi_awvalid,
    output wire        s_axi_awready,
    input  wire [31:0] s_axi_wdata,
    input  wire [3:0]  s_axi_wstrb,
    input  wire        s_axi_wvalid,
    output wire        s_axi_wready,
    output wire [1:0]  s_axi_bresp,
    output reg         s_axi_bvalid,
    input  wire        s_axi_bready,
    input  wire [7:0]  s_axi_araddr,
    input  wire        s_axi_arvalid,
    output wire        s_axi_arready,
    output reg  [31:0] s_axi_rdata,
    output wire [1:0]  s_axi_rresp,
    output reg         s_axi_rvalid,
    input  wire        s_axi_rready,
    output wire        irq
);
    localparam [2:0] W_IDLE = 3'd0, W_LAUNCH = 3'd1, W_RUN = 3'd2, W_SUM = 3'd3, W_TX = 3'd4;

    reg  [2:0]  st;
    reg         soft_req;                      // CONTROL.soft_reset written, waiting for m_axis to finish its packet
    wire        soft_go = soft_req & (st != W_TX);
    reg         rst_q;                         // registered reset of the core and the wrapper's state

    // ---- registers ----
    reg         ctl_en, ctl_ie;                // CONTROL bit 0, bit 2
    reg  [31:0] r_seed;                        // SEED: runtime seed, kept through a soft reset like CONTROL
    reg         st_done, st_err;               // STATUS bit 1, bit 2 (sticky, write 1 to clear)
    reg  [31:0] r_cycles, r_spikes, r_infer;
    reg  [3:0] r_class;
    reg  [31:0] cyc, spk_cnt;                  // spk_cnt: hidden-layer spikes of the running inference

    // ---- input stream ----
    reg  [9:0] rx_cnt;                 // next input index
    reg         rx_drop;                       // dropping beats up to the next TLAST
    reg         rx_full;                       // a complete sample waits to start
    wire        core_running = (st == W_LAUNCH) | (st == W_RUN);
    wire        core_in_free;                  // the running inference reads its inputs no more
    assign s_axis_tready = ~rx_full & (~core_running | core_in_free) & ~soft_req & ~rst_q;
    wire        rx_beat = s_axis_tvalid & s_axis_tready;

    // ---- output stream ----
    reg  [3:0] tx_idx;                // beat number
    reg  [3:0] vsel;                  // class whose votes are read

    // ---- the core ----
    wire        core_start = (st == W_LAUNCH);
    wire        core_busy, core_done;
    wire [3:0] core_class;
    wire [12:0] core_count;
    wire        trace_valid;
    wire [1:0] trace_layer;
    wire [12:0] trace_neuron;
    wire [0:0] trace_sample;
    wire [2:0] trace_timestep;
    mnist_conv_top u_core (
        .clk(aclk), .rst(rst_q), .start(core_start), .seed(r_seed), .busy(core_busy), .done(core_done),
        .in_we(rx_beat & ~rx_drop), .in_addr(rx_cnt), .in_data(s_axis_tdata), .in_free(core_in_free),
        .result_class(core_class), .count_sel(vsel), .count_out(core_count),
        .trace_valid(trace_valid), .trace_layer(trace_layer), .trace_neuron(trace_neuron),
        .trace_sample(trace_sample), .trace_timestep(trace_timestep)
    );
    wire [31:0] count32 = {{19{core_count[12]}}, core_count};

    // ~rst_q: st is still W_TX in the cycle after aresetn is sampled low
    assign m_axis_tvalid = (st == W_TX) & ~rst_q;
    assign m_axis_tlast  = (st == W_TX) & (tx_idx == 4'd11);
    assign m_axis_tkeep  = 4'hF;
    assign m_axis_tdata  = (tx_idx == 4'd0) ? {28'd0, r_class} :
                           (tx_idx == 4'd11) ? r_cycles : count32;

    assign irq = st_done & ctl_ie;

    // ---- AXI4-Lite write channel: AW and W are held until both have arrived ----
    reg         aw_ok, w_ok;
    reg  [7:0]  aw_q;
    reg  [31:0] w_q;
    reg  [3:0]  ws_q;
    assign s_axi_awready = ~aw_ok & ~s_axi_bvalid;
    assign s_axi_wready  = ~w_ok & ~s_axi_bvalid;
    assign s_axi_bresp   = 2'b00;
    wire        wr     = aw_ok & w_ok;
    wire        wr_ctl = wr & ws_q[0] & (aw_q == 8'h00);
    wire        wr_sts = wr & ws_q[0] & (aw_q == 8'h04);
    wire        wr_seed = wr & (aw_q == 8'h10);
    wire        start_cmd = wr_ctl & w_q[3];

    always @(posedge aclk) begin
        if (!aresetn) begin
            aw_ok        <= 1'b0;
            w_ok         <= 1'b0;
            s_axi_bvalid <= 1'b0;
        end else begin
            if (s_axi_awvalid && s_axi_awready) begin
                aw_ok <= 1'b1;
                aw_q  <= s_axi_awaddr;
            end
            if (s_axi_wvalid && s_axi_wready) begin
                w_ok <= 1'b1;
                w_q  <= s_axi_wdata;
                ws_q <= s_axi_wstrb;
            end
            if (wr) begin
                aw_ok        <= 1'b0;
                w_ok         <= 1'b0;
                s_axi_bvalid <= 1'b1;
            end else if (s_axi_bvalid && s_axi_bready) begin
                s_axi_bvalid <= 1'b0;
            end
        end
    end

    // ---- AXI4-Lite read channel ----
    wire        busy = (st != W_IDLE) | core_busy;
    reg  [31:0] rd;
    always @(*) begin
        case (s_axi_araddr)
            8'h00: rd = {28'd0, 1'b0, ctl_ie, 1'b0, ctl_en};
            8'h04: rd = {28'd0, rx_full, st_err, st_done, busy};
            8'h08: rd = 32'd8;
            8'h0c: rd = 32'd1;
            8'h10: rd = r_seed;
            8'h14: rd = r_cycles;
            8'h18: rd = r_spikes;
            8'h1c: rd = {28'd0, r_class};
            8'h20: rd = r_infer;
            8'h24: rd = 32'h00b50001;
            8'h28: rd = 32'hddeaa19c;
            8'h2c: rd = 32'h224deaae;
            8'h30: rd = 32'h804729f2;
            8'h34: rd = 32'h9057cfcb;
            8'h38: rd = 32'h644c34ca;
            8'h3c: rd = 32'h608b4bfb;
            8'h40: rd = 32'h93969097;
            8'h44: rd = 32'h910f2b3d;
            8'h48: rd = 32'h00000001;
            default: rd = 32'd0;
        endcase
    end
    assign s_axi_arready = ~s_axi_rvalid;
    assign s_axi_rresp   = 2'b00;
    always @(posedge aclk) begin
        if (!aresetn) begin
            s_axi_rvalid <= 1'b0;
        end else if (s_axi_arvalid && s_axi_arready) begin
            s_axi_rvalid <= 1'b1;
            s_axi_rdata  <= rd;
        end else if (s_axi_rvalid && s_axi_rready) begin
            s_axi_rvalid <= 1'b0;
        end
    end

    // ---- control ----
    // CONTROL and SEED are kept through a soft reset: only aresetn resets them.
    always @(posedge aclk) begin
        rst_q <= ~aresetn | soft_go;
        if (!aresetn) begin
            soft_req <= 1'b0;
            ctl_en   <= 1'b1;
            ctl_ie   <= 1'b0;
            r_seed   <= 32'd0;
        end else begin
            if (soft_go) soft_req <= 1'b0;
            else if (wr_ctl && w_q[1]) soft_req <= 1'b1;
            if (wr_ctl) begin
                ctl_en <= w_q[0];
                ctl_ie <= w_q[2];
            end
            if (wr_seed) begin
                if (ws_q[0]) r_seed[7:0]   <= w_q[7:0];
                if (ws_q[1]) r_seed[15:8]  <= w_q[15:8];
                if (ws_q[2]) r_seed[23:16] <= w_q[23:16];
                if (ws_q[3]) r_seed[31:24] <= w_q[31:24];
            end
        end
    end
    always @(posedge aclk) begin
        if (rst_q) begin
            st       <= W_IDLE;
            rx_cnt   <= 10'd0;
            rx_drop  <= 1'b0;
            rx_full  <= 1'b0;
            st_done  <= 1'b0;
            st_err   <= 1'b0;
            r_cycles <= 32'd0;
            r_spikes <= 32'd0;
            r_infer  <= 32'd0;
            r_class  <= 4'd0;
            cyc      <= 32'd0;
            spk_cnt  <= 32'd0;
            tx_idx   <= 4'd0;
            vsel     <= 4'd0;
        end else begin
            if (wr_sts) begin
                if (w_q[1]) st_done <= 1'b0;
                if (w_q[2]) st_err  <= 1'b0;
            end
            // input stream: count beats, check TLAST
            if (rx_beat) begin
                if (rx_drop) begin
                    if (s_axis_tlast) rx_drop <= 1'b0;
                end else if (rx_cnt == 10'd783) begin
                    rx_cnt <= 10'd0;
                    if (s_axis_tlast) begin
                        rx_full <= 1'b1;
                    end else begin
                        st_err  <= 1'b1;
                        rx_drop <= 1'b1;
                    end
                end else if (s_axis_tlast) begin
                    st_err <= 1'b1;
                    rx_cnt <= 10'd0;
                end else begin
                    rx_cnt <= rx_cnt + 1'b1;
                end
            end
            case (st)
                W_IDLE:
                    if (!soft_req && ((rx_full && ctl_en) || (start_cmd && rx_cnt == 10'd0 && !rx_drop))) begin
                        rx_full <= 1'b0;
                        st      <= W_LAUNCH;
                    end
                W_LAUNCH: begin
                    // the core samples start on this edge: cycle 1 of the inference
                    cyc <= 32'd1;
                    spk_cnt <= 32'd0;
                    st  <= W_RUN;
                end
                W_RUN:
                    if (core_done) begin
                        vsel <= 4'd0;
                        st   <= W_SUM;
                    end else begin
                        cyc <= cyc + 32'd1;
                        if (trace_valid) spk_cnt <= spk_cnt + 32'd1;
                    end
                W_SUM: begin
                    // one class per cycle, as with spike counts (SPIKES counts the hidden layers' spikes here)
                    if (vsel == 4'd9) begin
                        r_cycles <= cyc;
                        r_spikes <= spk_cnt;
                        r_class  <= core_class;
                        r_infer  <= r_infer + 32'd1;
                        st_done  <= 1'b1;
                        vsel     <= 4'd0;
                        tx_idx   <= 4'd0;
                        st       <= W_TX;
                    end else begin
                        vsel <= vsel + 1'b1;
                    end
                end
                W_TX:
                    if (m_axis_tready) begin
                        if (tx_idx == 4'd11) begin
                            st <= W_IDLE;
                        end else begin
                            tx_idx <= tx_idx + 1'b1;
                            if (tx_idx != 4'd0 && vsel != 4'd9) vsel <= vsel + 1'b1;
                        end
                    end
                default: st <= W_IDLE;
            endcase
        end
    end

    // Bits with no function here: the spike trace (co-simulation only).
    wire _unused_ok = &{1'b0, trace_layer, trace_neuron, trace_sample, trace_timestep};
endmodule
