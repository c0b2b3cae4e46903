`timescale 1ns / 1ps
// mnist_conv_top: the mnist_conv network (784-32-64-256-10), T = 8, S = 1, time-ensemble sampling.
// Model hash ddeaa19c224deaae804729f29057cfcb644c34ca608b4bfb93969097910f2b3d.
//
// Host protocol: write the 784 input intensities through in_*, set seed (taken with start: every random
// stream starts at seed(id) ^ seed, docs/semantics.md §1.2; 0 gives the model's own streams), pulse start,
// wait for done (busy falls), read result_class and the per-class votes through count_sel/count_out. in_free:
// the running inference reads its inputs no more (direct input, after the first timestep's scan), so the next
// inference's inputs may be written while it runs; low from start until then, and low again at done. The
// trace_* port reports every spike (layer, neuron, sample, timestep) for co-simulation; leave it open in a
// product build.
// Layers run one after another within a timestep (docs/semantics.md §4).
// Potential readout: layer 3 does not spike; its acc + b values are summed into signed (two's complement)
// 13-bit votes, and the argmax compares them signed (docs/semantics.md §5).
module mnist_conv_top (
    input  wire              clk,
    input  wire              rst,
    input  wire              start,
    input  wire [31:0]       seed,
    output reg               busy,
    output reg               done,
    input  wire              in_we,
    input  wire [9:0] in_addr,
    input  wire [7:0]        in_data,
    output reg               in_free,
    output reg  [3:0] result_class,
    input  wire [3:0] count_sel,
    output wire [12:0] count_out,
    output wire              trace_valid,
    output wire [1:0] trace_layer,
    output wire [12:0] trace_neuron,
    output wire [0:0] trace_sample,
    output wire [2:0] trace_timestep
);
    localparam [2:0] S_IDLE = 3'd0, S_SAMPLE = 3'd1, S_ENC = 3'd2, S_LAYER = 3'd3, S_WAIT = 3'd4,
                     S_TEND = 3'd5, S_ARG = 3'd6;

    reg [2:0] state, after_wait;
    reg [0:0] s;
    reg [2:0] t;
    reg [1:0] l;
    reg seed_load, sample_start, enc_start, pulse;
    reg [3:0] step_start;

    // ---- the runtime seed of the running inference, taken with start ----
    reg [31:0] seed_q;
    always @(posedge clk) begin
        if (rst) seed_q <= 32'd0;
        else if (state == S_IDLE && start) seed_q <= seed;
    end

    // ---- datapath: encoder -> layer 0 -> ... -> layer 3 -> vote counters ----
    wire enc_busy, enc_valid;
    wire [9:0] enc_idx;
    wire [7:0] enc_val;
    mnist_conv_encoder u_enc (
        .clk(clk), .rst(rst), .start(enc_start), .busy(enc_busy),
        .in_we(in_we), .in_addr(in_addr), .in_data(in_data),
        .out_valid(enc_valid), .out_idx(enc_idx), .out_val(enc_val)
    );

    wire l0_busy, l0_valid;
    wire [12:0] l0_idx;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [3:0] l0_val;   // a sum pool's count: the next layer takes it without the sign bit
    /* verilator lint_on UNUSEDSIGNAL */
    mnist_conv_layer0 u_l0 (
        .clk(clk), .rst(rst), .seed_load(seed_load), .seed_rt(seed_q), .sample_start(sample_start), .step_start(step_start[0]),
        .busy(l0_busy), .ev_we(enc_valid), .ev_idx(enc_idx), .ev_val(enc_val),
        .out_valid(l0_valid), .out_idx(l0_idx), .out_val(l0_val)
    );

    wire l1_busy, l1_valid;
    wire [9:0] l1_idx;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [3:0] l1_val;   // a sum pool's count: the next layer takes it without the sign bit
    /* verilator lint_on UNUSEDSIGNAL */
    mnist_conv_layer1 u_l1 (
        .clk(clk), .rst(rst), .seed_load(seed_load), .seed_rt(seed_q), .sample_start(sample_start), .step_start(step_start[1]),
        .busy(l1_busy), .ev_we(l0_valid), .ev_idx(l0_idx), .ev_val(l0_val[2:0]),
        .out_valid(l1_valid), .out_idx(l1_idx), .out_val(l1_val)
    );

    wire l2_busy, l2_valid;
    wire [7:0] l2_idx;
    mnist_conv_layer2 u_l2 (
        .clk(clk), .rst(rst), .seed_load(seed_load), .seed_rt(seed_q), .sample_start(sample_start), .step_start(step_start[2]),
        .busy(l2_busy), .ev_we(l1_valid), .ev_idx(l1_idx), .ev_val(l1_val[2:0]),
        .out_valid(l2_valid), .out_idx(l2_idx)
    );

    wire l3_busy, l3_valid;
    wire [3:0] l3_idx;
    wire [10:0] l3_val;
    mnist_conv_layer3 u_l3 (
        .clk(clk), .rst(rst), .seed_load(seed_load), .seed_rt(seed_q), .sample_start(sample_start), .step_start(step_start[3]),
        .busy(l3_busy), .ev_we(l2_valid), .ev_idx(l2_idx),
        .out_valid(l3_valid), .out_idx(l3_idx), .out_val(l3_val)
    );

    wire any_busy = enc_busy | l0_busy | l1_busy | l2_busy | l3_busy;

    // ---- votes: acc + b of each readout neuron summed over all samples and timesteps (signed) ----
    reg [12:0] votes [0:9];
    reg [12:0] best;
    reg [12:0] vote_q;   // votes[c], a cycle later
    reg [3:0] c_q;
    reg                arg_v;    // vote_q holds a class of this scan
    reg [3:0] c;
    integer v;
    always @(posedge clk) begin
        if (state == S_IDLE && start) begin
            for (v = 0; v <= 9; v = v + 1) votes[v] <= 13'd0;
        end else if (l3_valid) begin
            votes[l3_idx] <= votes[l3_idx] + {{2{l3_val[10]}}, l3_val};
        end
    end
    always @(posedge clk) begin
        vote_q <= votes[c];
        c_q    <= c;
    end
    assign count_out = votes[count_sel];

    // ---- trace: at most one layer emits in any cycle (the readout layer emits values, not spikes) ----
    assign trace_valid = l0_valid | l1_valid | l2_valid;
    assign trace_layer = l0_valid ? 2'd0 : l1_valid ? 2'd1 : l2_valid ? 2'd2 : 2'd0;
    assign trace_neuron = l0_valid ? l0_idx : l1_valid ? {3'd0, l1_idx} : l2_valid ? {5'd0, l2_idx} : 13'd0;
    assign trace_sample = s;
    assign trace_timestep = t;

    // ---- control ----
    always @(posedge clk) begin
        seed_load    <= 1'b0;
        sample_start <= 1'b0;
        enc_start    <= 1'b0;
        step_start   <= 4'd0;
        pulse        <= 1'b0;
        if (rst) begin
            state <= S_IDLE;
            busy  <= 1'b0;
            done  <= 1'b0;
            in_free <= 1'b0;
            result_class <= 4'd0;
        end else begin
            case (state)
                S_IDLE: if (start) begin
                    busy      <= 1'b1;
                    done      <= 1'b0;
                    s         <= 1'd0;
                    state     <= S_SAMPLE;
                end
                S_SAMPLE: begin
                    // Re-seed every stream with the first sample's start pulse, a cycle after seed_q is taken:
                    // the streams register their lock-up match from seed_q first; none draws before the next cycle.
                    if (s == 1'd0) seed_load <= 1'b1;
                    sample_start <= 1'b1;
                    pulse        <= 1'b1;
                    t            <= 3'd0;
                    after_wait   <= S_ENC;
                    state        <= S_WAIT;
                end
                S_ENC: begin
                    // Direct input: the same events at every timestep. The encoder writes layer 0's list once
                    // per inference; later timesteps replay it (docs/semantics.md §7).
                    l <= 2'd0;
                    if (s == 1'd0 && t == 3'd0) begin
                        enc_start  <= 1'b1;
                        pulse      <= 1'b1;
                        after_wait <= S_LAYER;
                        state      <= S_WAIT;
                    end else begin
                        state <= S_LAYER;
                    end
                end
                S_LAYER: begin
                    in_free       <= 1'b1;   // the encoder has scanned the inputs; later timesteps replay its list
                    step_start[l] <= 1'b1;
                    pulse         <= 1'b1;
                    l             <= l + 1'b1;
                    after_wait    <= (l == 2'd3) ? S_TEND : S_LAYER;
                    state         <= S_WAIT;
                end
                S_WAIT: if (!pulse && !any_busy) state <= after_wait;
                S_TEND: begin
                    if (t != 3'd7) begin
                        t     <= t + 1'b1;
                        state <= S_ENC;
                    end else if (s != 1'd0) begin
                        s     <= s + 1'b1;
                        state <= S_SAMPLE;
                    end else begin
                        c     <= 4'd0;
                        best  <= {1'b1, 12'd0};
                        arg_v <= 1'b0;
                        result_class <= 4'd0;
                        state <= S_ARG;
                    end
                end
                S_ARG: begin
                    // argmax, ties to the lowest index (semantics §5), one class per cycle: votes[c] is
                    // registered (vote_q) and compared in the next cycle, so the read mux and the compare
                    // are not one path
                    arg_v <= 1'b1;
                    if (arg_v && $signed(vote_q) > $signed(best)) begin
                        best         <= vote_q;
                        result_class <= c_q;
                    end
                    if (arg_v && c_q == 4'd9) begin
                        busy  <= 1'b0;
                        done  <= 1'b1;
                        in_free <= 1'b0;
                        state <= S_IDLE;
                    end else if (c != 4'd9) begin
                        c <= c + 1'b1;
                    end
                end
                default: state <= S_IDLE;
            endcase
        end
    end
endmodule
