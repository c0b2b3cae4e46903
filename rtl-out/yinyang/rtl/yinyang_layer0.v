`timescale 1ns / 1ps
// yinyang_layer0: layer 0, 4 inputs -> 256 neurons on 8 lanes in 32 passes,
// 4-bit Bernoulli probabilities, time-ensemble sampling. Arithmetic: docs/semantics.md §4.
//
// A timestep: for each pass f, the events written since the last step flow through a 4-stage pipeline
// (event list read -> probability row read and P weight draws -> registered weights -> +/-x accumulations), then the P neurons of
// the pass update in three register stages (integrate; saturate and compare; reset and write back) and their
// spikes leave one per cycle, lowest neuron first, while the next pass takes its events.
module yinyang_layer0 (
    input  wire              clk,
    input  wire              rst,
    input  wire              seed_load,     // re-seed every stream (start of an inference)
    input  wire [31:0]       seed_rt,       // runtime seed, valid from the cycle before seed_load on (docs/semantics.md §1.2)
    input  wire              sample_start,  // clear membranes
    input  wire              step_start,    // one timestep over the events written since the last step
    output reg               busy,
    input  wire              ev_we,
    input  wire [1:0] ev_idx,
    input  wire [7:0]        ev_val,
    output reg               out_valid,
    output reg  [7:0] out_idx
);
    localparam [2:0] S_IDLE = 3'd0, S_CLR = 3'd1, S_EV = 3'd3, S_UPD = 3'd4, S_SAT = 3'd6, S_WB = 3'd7, S_EMIT = 3'd5;
    localparam [17:0] VMAX = 18'sd32767;
    localparam [17:0] VMIN = -18'sd32768;
    localparam [255:0] WSEED = {32'h01509035, 32'h6d43f61c, 32'h042c8c0f, 32'h423b7bc0, 32'h6d919eee, 32'he9fbe982, 32'ha24807ee, 32'h4a1d12c6};

    reg [2:0] state;
    reg [4:0] f;            // pass
    reg [6:0] row_base;     // f * M
    reg [7:0] pass_base;    // f * P (neuron of lane 0)

    // ---- input event list, written by the previous stage while this layer is idle ----
    reg [2:0] wr_ptr;
    reg [2:0] n_ev;
    reg [2:0] e;
    reg [9:0] ev_q;
    reg [9:0] evmem [0:3];
    always @(posedge clk) begin
        if (ev_we) evmem[wr_ptr[1:0]] <= {ev_idx, ev_val};
        ev_q <= evmem[e[1:0]];
    end
    always @(posedge clk) begin
        // direct input: the list is written once per inference and replayed every timestep
        if (rst || seed_load) wr_ptr <= 3'd0;
        else if (ev_we) wr_ptr <= wr_ptr + 1'b1;
    end
    wire [1:0] ev_q_idx = ev_q[9:8];

    // ---- pipeline valids: stage 1 has the event, stage 2 the probability row (and the draw), stage 3 the weight ----
    reg p1_v, p2_v, p3_v;
    reg [7:0] val2, val3;

    // ---- probability memory: row f*M + i holds the P lanes' codes for input i ----
    // Block RAM from 4 kbit up; below that the tool picks (LUT ROM in practice).
    (* rom_style = "block" *) reg [31:0] probmem [0:127];
    initial $readmemh("yinyang_layer0_prob.mem", probmem);
    wire [6:0] ev_row = row_base + {5'd0, ev_q_idx};
    wire [6:0] prob_addr = ev_row;
    reg  [31:0] prob_q;
    always @(posedge clk) prob_q <= probmem[prob_addr];
    wire [7:0] wbit;
    wire w_adv = p2_v;
    wire [7:0] wsel = wbit;

    // ---- membranes (one row of P per pass), thresholds and biases (read-only rows) ----
    reg  [127:0] vmem [0:31];
    reg  [127:0] thrmem [0:31];
    reg  [127:0] biasmem [0:31];
    initial $readmemh("yinyang_layer0_thr.mem", thrmem);
    initial $readmemh("yinyang_layer0_bias.mem", biasmem);
    wire [127:0] vrow = vmem[f];
    wire [127:0] throw_ = thrmem[f];
    wire [127:0] brow = biasmem[f];
    wire [127:0] vnew;
    wire [7:0] spk;
    reg  [7:0] spk_q;   // spikes of the pass, latched in S_SAT (the reset in S_WB reads them)
    // The emission: a pass's spikes leave one per cycle while the next pass takes its events; that pass waits
    // for the emission to end before its update latches new spikes.
    reg  [7:0] em_q;
    reg  [7:0] em_base;   // the emitting pass's first neuron
    wire last_pass = f == 5'd31;

    // ---- runtime seed (docs/semantics.md §1.2) ----
    // A lane's stream must start at seed(id) ^ seed_rt. The LFSR is linear and every lane advances with the
    // others, so a lane keeps its constant-seed LFSR and XORs in the draws of one shared LFSR started at
    // seed_rt: its draws are then exactly those from seed(id) ^ seed_rt. A lane whose seed(id) equals seed_rt
    // (start state 0, which is replaced by seed(id)) leaves the shared draws out.
    reg  [31:0] w_rt_s = 32'd0;   // the runtime-seed stream of the weight draws
    wire [3:0] w_rt;
    assign w_rt[0] = w_rt_s[31] ^ w_rt_s[29] ^ w_rt_s[28] ^ w_rt_s[21] ^ w_rt_s[19] ^ w_rt_s[18] ^ w_rt_s[1] ^ w_rt_s[0];
    assign w_rt[1] = w_rt_s[30] ^ w_rt_s[29] ^ w_rt_s[20] ^ w_rt_s[19] ^ w_rt_s[0];
    assign w_rt[2] = w_rt_s[31] ^ w_rt_s[30] ^ w_rt_s[21] ^ w_rt_s[20] ^ w_rt_s[1];
    assign w_rt[3] = w_rt_s[31] ^ w_rt_s[21] ^ w_rt_s[1] ^ w_rt_s[0];
    always @(posedge clk) begin
        if (rst) w_rt_s <= 32'd0;
        else if (seed_load) w_rt_s <= seed_rt;
        else if (w_adv) w_rt_s <= {w_rt_s[27:0], w_rt};
    end
    genvar j;
    generate
        for (j = 0; j < 8; j = j + 1) begin : g_lane
            // weight draw: +1 iff r < q, or q is the all-ones code
            wire [3:0] r_seed;
            reg  w_lock;   // seed_rt == this lane's seed(id)
            always @(posedge clk) w_lock <= seed_rt == WSEED[32*j +: 32];
            wire [3:0] r = r_seed ^ (w_rt & {4{~w_lock}});
            wire [3:0] q = prob_q[4*j +: 4];
            yinyang_lfsr_k4 #(.SEED(WSEED[32*j +: 32])) u_wrng (.clk(clk), .load(rst | seed_load), .adv(w_adv), .r(r_seed));
            assign wbit[j] = (r < q) | (&q);

            // the weight is registered before the add: memory read and compare, then the accumulator's carry chain
            reg w_q;
            always @(posedge clk) if (p2_v) w_q <= wsel[j];
            reg signed [10:0] acc;
            wire signed [10:0] xv = $signed({3'd0, val3});
            always @(posedge clk) begin
                if (rst || state == S_UPD) acc <= 11'sd0;
                else if (p3_v) acc <= w_q ? acc + xv : acc - xv;
            end

            // neuron update in three stages: S_UPD leak + integrate (and draw noise), S_SAT saturate + compare,
            // S_WB reset + write back
            wire [15:0] v = vrow[16*j +: 16];
            wire [15:0] thr_b = throw_[16*j +: 16];
            wire [15:0] bias_b = brow[16*j +: 16];
            wire signed [17:0] vw = {{2{v[15]}}, v};
            wire signed [17:0] thr = {{2{thr_b[15]}}, thr_b};
            wire signed [17:0] bias = {{2{bias_b[15]}}, bias_b};
            wire signed [17:0] accw = {{7{acc[10]}}, acc};
            wire signed [17:0] leaked = vw;
            wire signed [17:0] sum = leaked + accw + bias;
            reg  signed [17:0] sum_q;
            always @(posedge clk) if (state == S_UPD) sum_q <= sum;
            wire sat_hi = sum_q > $signed(VMAX);
            wire sat_lo = sum_q < $signed(VMIN);
            wire signed [17:0] vsat = sat_hi ? $signed(VMAX) : sat_lo ? $signed(VMIN) : sum_q;
            wire signed [17:0] thr_eff = thr;
            wire lane_real = !last_pass || (j < 8);
            // vsat >= thr_eff, with the three compares side by side instead of after the saturation mux
            wire ge_sum = sum_q >= thr_eff;
            wire ge_max = $signed(VMAX) >= thr_eff;
            wire ge_min = $signed(VMIN) >= thr_eff;
            assign spk[j] = lane_real && (sat_hi ? ge_max : sat_lo ? ge_min : ge_sum);
            // vsat lies in [VMIN, VMAX]: its bits above 15 are sign copies, not needed.
            /* verilator lint_off UNUSEDSIGNAL */
            wire signed [17:0] vsat_keep = vsat;
            /* verilator lint_on UNUSEDSIGNAL */
            reg  [15:0] vsat_q;
            always @(posedge clk) if (state == S_SAT) vsat_q <= vsat_keep[15:0];
            wire signed [17:0] vsat_w = {{2{vsat_q[15]}}, vsat_q};
            wire signed [17:0] vsub = vsat_w - thr;
            wire signed [17:0] vres = (vsub < $signed(VMIN)) ? $signed(VMIN) : vsub;
            // vnext lies in [VMIN, VMAX] by construction: the bits above 15 are sign copies, not needed.
            /* verilator lint_off UNUSEDSIGNAL */
            wire signed [17:0] vnext = spk_q[j] ? vres : vsat_w;
            /* verilator lint_on UNUSEDSIGNAL */
            assign vnew[16*j +: 16] = vnext[15:0];
        end
    endgenerate

    // ---- spike emission: lowest set lane first, found by a binary tree (log2 P levels, not a P-long chain) ----
    /* verilator lint_off UNUSEDSIGNAL */
    wire [7:0] lo_v0 = em_q;
    wire [3:0] lo_v1;
    wire [3:0] lo_i1;
    assign lo_v1[0] = lo_v0[0] | lo_v0[1];
    assign lo_i1[0] = ~lo_v0[0];
    assign lo_v1[1] = lo_v0[2] | lo_v0[3];
    assign lo_i1[1] = ~lo_v0[2];
    assign lo_v1[2] = lo_v0[4] | lo_v0[5];
    assign lo_i1[2] = ~lo_v0[4];
    assign lo_v1[3] = lo_v0[6] | lo_v0[7];
    assign lo_i1[3] = ~lo_v0[6];
    wire [1:0] lo_v2;
    wire [3:0] lo_i2;
    assign lo_v2[0] = lo_v1[0] | lo_v1[1];
    assign lo_i2[0 +: 2] = lo_v1[0] ? {1'b0, lo_i1[0 +: 1]} : {1'b1, lo_i1[1 +: 1]};
    assign lo_v2[1] = lo_v1[2] | lo_v1[3];
    assign lo_i2[2 +: 2] = lo_v1[2] ? {1'b0, lo_i1[2 +: 1]} : {1'b1, lo_i1[3 +: 1]};
    wire [2:0] lo_i3;
    assign lo_i3[0 +: 3] = lo_v2[0] ? {1'b0, lo_i2[0 +: 2]} : {1'b1, lo_i2[2 +: 2]};
    /* verilator lint_on UNUSEDSIGNAL */
    wire [2:0] lo_idx = lo_i3;
    wire [7:0] emit_idx = em_base + {5'd0, lo_idx};
    always @(posedge clk) begin
        if (rst) em_q <= 8'd0;
        else if (state == S_WB) begin
            em_q    <= spk_q;
            em_base <= pass_base;
        end else if (em_q != 8'd0) em_q <= em_q & (em_q - 1'b1);
    end

    always @(posedge clk) begin
        if (state == S_CLR) vmem[f] <= 128'd0;
        else if (state == S_WB) vmem[f] <= vnew;
    end

    always @(posedge clk) begin
        out_valid <= 1'b0;
        p1_v <= (state == S_EV) && (e != n_ev);
        p2_v <= p1_v;
        p3_v <= p2_v;
        val2 <= ev_q[7:0];
        val3 <= val2;
        if (rst) begin
            state <= S_IDLE;
            busy  <= 1'b0;
            f     <= 5'd0;
            p1_v  <= 1'b0;
            p2_v  <= 1'b0;
            p3_v  <= 1'b0;
        end else begin
            case (state)
                S_IDLE: begin
                    f         <= 5'd0;
                    row_base  <= 7'd0;
                    pass_base <= 8'd0;
                    e         <= 3'd0;
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
                        f <= 5'd0;
                        state <= S_IDLE;
                        busy  <= 1'b0;
                    end else begin
                        f <= f + 1'b1;
                    end
                end
                S_EV: begin
                    if (e != n_ev) e <= e + 1'b1;
                    else if (!p1_v && !p2_v && !p3_v && em_q == 8'd0) state <= S_UPD;
                end
                S_UPD: state <= S_SAT;
                S_SAT: begin
                    spk_q <= spk;
                    state <= S_WB;
                end
                S_WB: begin
                    // the next pass starts while this one's spikes leave; after the last, wait for them
                    if (last_pass) state <= S_EMIT;
                    else begin
                        f         <= f + 1'b1;
                        row_base  <= row_base + 7'd4;
                        pass_base <= pass_base + 8'd8;
                        e         <= 3'd0;
                        state     <= S_EV;
                    end
                end
                S_EMIT: if (em_q == 8'd0) begin
                    state <= S_IDLE;
                    busy  <= 1'b0;
                end
                default: state <= S_IDLE;
            endcase
            if (em_q != 8'd0) begin
                out_valid <= 1'b1;
                out_idx   <= emit_idx[7:0];
            end
        end
    end
endmodule
