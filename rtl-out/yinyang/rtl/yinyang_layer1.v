`timescale 1ns / 1ps
// yinyang_layer1: layer 1, 32 inputs -> 3 neurons on 3 lanes in 1 pass,
// 4-bit Bernoulli probabilities, time-ensemble sampling. Arithmetic: docs/semantics.md §4.
//
// A timestep: for each pass f, the events written since the last step flow through a 3-stage pipeline
// (event list read -> probability row read -> P weight draws and +/-x accumulations), then the P neurons of
// the pass update in three register stages (integrate; saturate and compare; reset and write back) and their
// spikes leave one per cycle, lowest neuron first.
module yinyang_layer1 (
    input  wire              clk,
    input  wire              rst,
    input  wire              seed_load,     // re-seed every stream (start of an inference)
    input  wire [31:0]       seed_rt,       // runtime seed, stable from the cycle before seed_load (docs/semantics.md §1.2)
    input  wire              sample_start,  // clear membranes
    input  wire              step_start,    // one timestep over the events written since the last step
    output reg               busy,
    input  wire              ev_we,
    input  wire [4:0] ev_idx,
    output reg               out_valid,
    output reg  [1:0] out_idx
);
    localparam [2:0] S_IDLE = 3'd0, S_CLR = 3'd1, S_EV = 3'd3, S_UPD = 3'd4, S_SAT = 3'd6, S_WB = 3'd7, S_EMIT = 3'd5;
    localparam [13:0] VMAX = 14'sd2047;
    localparam [13:0] VMIN = -14'sd2048;
    localparam [95:0] WSEED = {32'h2ad70027, 32'h853f4cdc, 32'h5a6f6b69};

    reg [2:0] state;
    reg [0:0] f;            // pass
    reg [4:0] row_base;     // f * M
    reg [1:0] pass_base;    // f * P (neuron of lane 0)

    // ---- input event list, written by the previous stage while this layer is idle ----
    reg [4:0] evmem [0:31];
    reg [5:0] wr_ptr;
    reg [5:0] n_ev;
    reg [5:0] e;
    reg [4:0] ev_q;
    always @(posedge clk) begin
        if (ev_we) evmem[wr_ptr[4:0]] <= ev_idx;
        ev_q <= evmem[e[4:0]];
    end
    always @(posedge clk) begin
        if (rst || seed_load || (state == S_IDLE && step_start)) wr_ptr <= 6'd0;
        else if (ev_we) wr_ptr <= wr_ptr + 1'b1;
    end
    wire [4:0] ev_q_idx = ev_q[4:0];

    // ---- pipeline valids: stage 1 has the event, stage 2 the probability row ----
    reg p1_v, p2_v;

    // ---- probability memory: row f*M + i holds the P lanes' codes for input i ----
    // Block RAM from 4 kbit up; below that the tool picks (LUT ROM in practice).
    reg [11:0] probmem [0:31];
    initial $readmemh("yinyang_layer1_prob.mem", probmem);
    wire [4:0] ev_row = row_base + ev_q_idx;
    wire [4:0] prob_addr = ev_row;
    reg  [11:0] prob_q;
    always @(posedge clk) prob_q <= probmem[prob_addr];
    wire [2:0] wbit;
    wire w_adv = p2_v;
    wire [2:0] wsel = wbit;

    // ---- membranes (one row of P per pass), thresholds and biases (read-only rows) ----
    reg  [35:0] vmem [0:0];
    reg  [35:0] thrmem [0:0];
    reg  [35:0] biasmem [0:0];
    initial $readmemh("yinyang_layer1_thr.mem", thrmem);
    initial $readmemh("yinyang_layer1_bias.mem", biasmem);
    wire [35:0] vrow = vmem[f];
    wire [35:0] throw_ = thrmem[f];
    wire [35:0] brow = biasmem[f];
    wire [35:0] vnew;
    wire [2:0] spk;
    reg  [2:0] spk_q;   // spikes of the pass, latched in S_SAT, emitted from S_EMIT
    wire last_pass = f == 1'd0;

    genvar j;
    generate
        for (j = 0; j < 3; j = j + 1) begin : g_lane
            // weight draw: +1 iff r < q, or q is the all-ones code
            wire [3:0] r;
            wire [3:0] q = prob_q[4*j +: 4];
            yinyang_lfsr_k4 #(.SEED(WSEED[32*j +: 32])) u_wrng (.clk(clk), .rst(rst), .load(seed_load), .seed_rt(seed_rt), .adv(w_adv), .r(r));
            assign wbit[j] = (r < q) | (&q);

            reg signed [6:0] acc;
            wire signed [6:0] xv = 7'sd1;
            always @(posedge clk) begin
                if (rst || state == S_UPD) acc <= 7'sd0;
                else if (p2_v) acc <= wsel[j] ? acc + xv : acc - xv;
            end

            // neuron update in three stages: S_UPD leak + integrate (and draw noise), S_SAT saturate + compare,
            // S_WB reset + write back
            wire [11:0] v = vrow[12*j +: 12];
            wire [11:0] thr_b = throw_[12*j +: 12];
            wire [11:0] bias_b = brow[12*j +: 12];
            wire signed [13:0] vw = {{2{v[11]}}, v};
            wire signed [13:0] thr = {{2{thr_b[11]}}, thr_b};
            wire signed [13:0] bias = {{2{bias_b[11]}}, bias_b};
            wire signed [13:0] accw = {{7{acc[6]}}, acc};
            wire signed [13:0] leaked = vw;
            wire signed [13:0] sum = leaked + accw + bias;
            reg  signed [13:0] sum_q;
            always @(posedge clk) if (state == S_UPD) sum_q <= sum;
            wire signed [13:0] vsat = (sum_q > $signed(VMAX)) ? $signed(VMAX) : (sum_q < $signed(VMIN)) ? $signed(VMIN) : sum_q;
            wire signed [13:0] thr_eff = thr;
            wire lane_real = !last_pass || (j < 3);
            assign spk[j] = lane_real && (vsat >= thr_eff);
            // vsat lies in [VMIN, VMAX]: its bits above 11 are sign copies, not needed.
            /* verilator lint_off UNUSEDSIGNAL */
            wire signed [13:0] vsat_keep = vsat;
            /* verilator lint_on UNUSEDSIGNAL */
            reg  [11:0] vsat_q;
            always @(posedge clk) if (state == S_SAT) vsat_q <= vsat_keep[11:0];
            wire signed [13:0] vsat_w = {{2{vsat_q[11]}}, vsat_q};
            wire signed [13:0] vsub = vsat_w - thr;
            wire signed [13:0] vres = (vsub < $signed(VMIN)) ? $signed(VMIN) : vsub;
            // vnext lies in [VMIN, VMAX] by construction: the bits above 11 are sign copies, not needed.
            /* verilator lint_off UNUSEDSIGNAL */
            wire signed [13:0] vnext = spk_q[j] ? vres : vsat_w;
            /* verilator lint_on UNUSEDSIGNAL */
            assign vnew[12*j +: 12] = vnext[11:0];
        end
    endgenerate

    // ---- spike emission: lowest set lane first ----
    function [1:0] lowest(input [2:0] bits);
        integer b;
        begin
            lowest = 2'd0;
            for (b = 2; b >= 0; b = b - 1)
                if (bits[b]) lowest = b[1:0];
        end
    endfunction
    wire [1:0] emit_idx = pass_base + lowest(spk_q);

    always @(posedge clk) begin
        if (state == S_CLR) vmem[f] <= 36'd0;
        else if (state == S_WB) vmem[f] <= vnew;
    end

    always @(posedge clk) begin
        out_valid <= 1'b0;
        p1_v <= (state == S_EV) && (e != n_ev);
        p2_v <= p1_v;
        if (rst) begin
            state <= S_IDLE;
            busy  <= 1'b0;
            f     <= 1'd0;
            p1_v  <= 1'b0;
            p2_v  <= 1'b0;
        end else begin
            case (state)
                S_IDLE: begin
                    f         <= 1'd0;
                    row_base  <= 5'd0;
                    pass_base <= 2'd0;
                    e         <= 6'd0;
                    if (sample_start) begin
                        state <= S_CLR;
                        busy  <= 1'b1;
                    end else if (step_start) begin
                        state <= S_EV;
                        busy  <= 1'b1;
                        n_ev  <= wr_ptr;
                    end
                end
                S_CLR: begin
                    if (last_pass) begin
                        f <= 1'd0;
                        state <= S_IDLE;
                        busy  <= 1'b0;
                    end else begin
                        f <= f + 1'b1;
                    end
                end
                S_EV: begin
                    if (e != n_ev) e <= e + 1'b1;
                    else if (!p1_v && !p2_v) state <= S_UPD;
                end
                S_UPD: state <= S_SAT;
                S_SAT: begin
                    spk_q <= spk;
                    state <= S_WB;
                end
                S_WB: state <= S_EMIT;
                S_EMIT: begin
                    if (spk_q != 3'd0) begin
                        out_valid <= 1'b1;
                        out_idx   <= emit_idx[1:0];
                        spk_q     <= spk_q & (spk_q - 1'b1);
                    end else if (last_pass) begin
                        state <= S_IDLE;
                        busy  <= 1'b0;
                    end
                end
                default: state <= S_IDLE;
            endcase
        end
    end
endmodule
