`timescale 1ns / 1ps
// mnist_conv_layer2: layer 2, 1024 inputs -> 256 neurons on 32 lanes in 8 passes,
// 4-bit Bernoulli probabilities, time-ensemble sampling. Arithmetic: docs/semantics.md §4.
//
// A timestep: for each pass f, the events written since the last step flow through a 4-stage pipeline
// (event list read -> probability row read and P weight draws -> registered weights -> +/-x accumulations), then the P neurons of
// the pass update in three register stages (integrate; saturate and compare; reset and write back) and their
// spikes leave one per cycle, lowest neuron first, while the next pass takes its events.
module mnist_conv_layer2 (
    input  wire              clk,
    input  wire              rst,
    input  wire              seed_load,     // re-seed every stream (start of an inference)
    input  wire [31:0]       seed_rt,       // runtime seed, valid from the cycle before seed_load on (docs/semantics.md §1.2)
    input  wire              sample_start,  // clear membranes
    input  wire              step_start,    // one timestep over the events written since the last step
    output reg               busy,
    input  wire              ev_we,
    input  wire [9:0] ev_idx,
    input  wire [2:0]        ev_val,
    output reg               out_valid,
    output reg  [7:0] out_idx
);
    localparam [2:0] S_IDLE = 3'd0, S_CLR = 3'd1, S_EV = 3'd3, S_UPD = 3'd4, S_SAT = 3'd6, S_WB = 3'd7, S_EMIT = 3'd5;
    localparam [18:0] VMAX = 19'sd65535;
    localparam [18:0] VMIN = -19'sd65536;
    localparam [1023:0] WSEED = {32'hda75e793, 32'ha6921c96, 32'h6ed8967b, 32'hc5d54287, 32'h374ef4e9, 32'h6001a8e5, 32'h016797c6, 32'ha2926a66, 32'h7f0184dc, 32'he9e369e5, 32'h1e4aaed7, 32'hf3a227ad, 32'h6cf8ec7b, 32'h9570c833, 32'h1d5c8802, 32'h5ee7f4e3, 32'hc96989a9, 32'h5246815e, 32'h34270029, 32'h5bb91a24, 32'hd4f90b31, 32'h2aa3cceb, 32'h3fc0de2e, 32'ha117c87c, 32'h8ce9ec44, 32'hb572a1b8, 32'h4360d37b, 32'h280d3f2c, 32'h634e0e82, 32'h1812282f, 32'h031228bd, 32'h020b98dd};

    reg [2:0] state;
    reg [2:0] f;            // pass
    reg [12:0] row_base;     // f * M
    reg [7:0] pass_base;    // f * P (neuron of lane 0)

    // ---- input event list, written by the previous stage while this layer is idle ----
    reg [10:0] wr_ptr;
    reg [10:0] n_ev;
    reg [10:0] e;
    reg [12:0] ev_q;
    reg [12:0] evmem [0:1023];
    always @(posedge clk) begin
        if (ev_we) evmem[wr_ptr[9:0]] <= {ev_idx, ev_val};
        ev_q <= evmem[e[9:0]];
    end
    always @(posedge clk) begin
        if (rst || seed_load || (state == S_IDLE && step_start)) wr_ptr <= 11'd0;
        else if (ev_we) wr_ptr <= wr_ptr + 1'b1;
    end
    wire [9:0] ev_q_idx = ev_q[12:3];

    // ---- pipeline valids: stage 1 has the event, stage 2 the probability row (and the draw), stage 3 the weight ----
    reg p1_v, p2_v, p3_v;
    reg [2:0] val2, val3;

    // ---- probability memory: row f*M + i holds the P lanes' codes for input i ----
    // Block RAM from 4 kbit up; below that the tool picks (LUT ROM in practice).
    (* rom_style = "block" *) reg [127:0] probmem [0:8191];
    initial $readmemh("mnist_conv_layer2_prob.mem", probmem);
    wire [12:0] ev_row = row_base + {3'd0, ev_q_idx};
    wire [12:0] prob_addr = ev_row;
    reg  [127:0] prob_q;
    always @(posedge clk) prob_q <= probmem[prob_addr];
    wire [31:0] wbit;
    wire w_adv = p2_v;
    wire [31:0] wsel = wbit;

    // ---- membranes (one row of P per pass), thresholds and biases (read-only rows) ----
    reg  [543:0] vmem [0:7];
    reg  [543:0] thrmem [0:7];
    reg  [543:0] biasmem [0:7];
    initial $readmemh("mnist_conv_layer2_thr.mem", thrmem);
    initial $readmemh("mnist_conv_layer2_bias.mem", biasmem);
    wire [543:0] vrow = vmem[f];
    wire [543:0] throw_ = thrmem[f];
    wire [543:0] brow = biasmem[f];
    wire [543:0] vnew;
    wire [31:0] spk;
    reg  [31:0] spk_q;   // spikes of the pass, latched in S_SAT (the reset in S_WB reads them)
    // The emission: a pass's spikes leave one per cycle while the next pass takes its events; that pass waits
    // for the emission to end before its update latches new spikes.
    reg  [31:0] em_q;
    reg  [7:0] em_base;   // the emitting pass's first neuron
    wire last_pass = f == 3'd7;

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
        for (j = 0; j < 32; j = j + 1) begin : g_lane
            // weight draw: +1 iff r < q, or q is the all-ones code
            wire [3:0] r_seed;
            reg  w_lock;   // seed_rt == this lane's seed(id)
            always @(posedge clk) w_lock <= seed_rt == WSEED[32*j +: 32];
            wire [3:0] r = r_seed ^ (w_rt & {4{~w_lock}});
            wire [3:0] q = prob_q[4*j +: 4];
            mnist_conv_lfsr_k4 #(.SEED(WSEED[32*j +: 32])) u_wrng (.clk(clk), .load(rst | seed_load), .adv(w_adv), .r(r_seed));
            assign wbit[j] = (r < q) | (&q);

            // the weight is registered before the add: memory read and compare, then the accumulator's carry chain
            reg w_q;
            always @(posedge clk) if (p2_v) w_q <= wsel[j];
            reg signed [13:0] acc;
            wire signed [13:0] xv = $signed({11'd0, val3});
            always @(posedge clk) begin
                if (rst || state == S_UPD) acc <= 14'sd0;
                else if (p3_v) acc <= w_q ? acc + xv : acc - xv;
            end

            // neuron update in three stages: S_UPD leak + integrate (and draw noise), S_SAT saturate + compare,
            // S_WB reset + write back
            wire [16:0] v = vrow[17*j +: 17];
            wire [16:0] thr_b = throw_[17*j +: 17];
            wire [16:0] bias_b = brow[17*j +: 17];
            wire signed [18:0] vw = {{2{v[16]}}, v};
            wire signed [18:0] thr = {{2{thr_b[16]}}, thr_b};
            wire signed [18:0] bias = {{2{bias_b[16]}}, bias_b};
            wire signed [18:0] accw = {{5{acc[13]}}, acc};
            wire signed [18:0] leaked = vw;
            wire signed [18:0] sum = leaked + accw + bias;
            reg  signed [18:0] sum_q;
            always @(posedge clk) if (state == S_UPD) sum_q <= sum;
            wire sat_hi = sum_q > $signed(VMAX);
            wire sat_lo = sum_q < $signed(VMIN);
            wire signed [18:0] vsat = sat_hi ? $signed(VMAX) : sat_lo ? $signed(VMIN) : sum_q;
            wire signed [18:0] thr_eff = thr;
            wire lane_real = !last_pass || (j < 32);
            // vsat >= thr_eff, with the three compares side by side instead of after the saturation mux
            wire ge_sum = sum_q >= thr_eff;
            wire ge_max = $signed(VMAX) >= thr_eff;
            wire ge_min = $signed(VMIN) >= thr_eff;
            assign spk[j] = lane_real && (sat_hi ? ge_max : sat_lo ? ge_min : ge_sum);
            // vsat lies in [VMIN, VMAX]: its bits above 16 are sign copies, not needed.
            /* verilator lint_off UNUSEDSIGNAL */
            wire signed [18:0] vsat_keep = vsat;
            /* verilator lint_on UNUSEDSIGNAL */
            reg  [16:0] vsat_q;
            always @(posedge clk) if (state == S_SAT) vsat_q <= vsat_keep[16:0];
            wire signed [18:0] vsat_w = {{2{vsat_q[16]}}, vsat_q};
            wire signed [18:0] vsub = vsat_w - thr;
            wire signed [18:0] vres = (vsub < $signed(VMIN)) ? $signed(VMIN) : vsub;
            // vnext lies in [VMIN, VMAX] by construction: the bits above 16 are sign copies, not needed.
            /* verilator lint_off UNUSEDSIGNAL */
            wire signed [18:0] vnext = spk_q[j] ? vres : vsat_w;
            /* verilator lint_on UNUSEDSIGNAL */
            assign vnew[17*j +: 17] = vnext[16:0];
        end
    endgenerate

    // ---- spike emission: lowest set lane first, found by a binary tree (log2 P levels, not a P-long chain) ----
    /* verilator lint_off UNUSEDSIGNAL */
    wire [31:0] lo_v0 = em_q;
    wire [15:0] lo_v1;
    wire [15:0] lo_i1;
    assign lo_v1[0] = lo_v0[0] | lo_v0[1];
    assign lo_i1[0] = ~lo_v0[0];
    assign lo_v1[1] = lo_v0[2] | lo_v0[3];
    assign lo_i1[1] = ~lo_v0[2];
    assign lo_v1[2] = lo_v0[4] | lo_v0[5];
    assign lo_i1[2] = ~lo_v0[4];
    assign lo_v1[3] = lo_v0[6] | lo_v0[7];
    assign lo_i1[3] = ~lo_v0[6];
    assign lo_v1[4] = lo_v0[8] | lo_v0[9];
    assign lo_i1[4] = ~lo_v0[8];
    assign lo_v1[5] = lo_v0[10] | lo_v0[11];
    assign lo_i1[5] = ~lo_v0[10];
    assign lo_v1[6] = lo_v0[12] | lo_v0[13];
    assign lo_i1[6] = ~lo_v0[12];
    assign lo_v1[7] = lo_v0[14] | lo_v0[15];
    assign lo_i1[7] = ~lo_v0[14];
    assign lo_v1[8] = lo_v0[16] | lo_v0[17];
    assign lo_i1[8] = ~lo_v0[16];
    assign lo_v1[9] = lo_v0[18] | lo_v0[19];
    assign lo_i1[9] = ~lo_v0[18];
    assign lo_v1[10] = lo_v0[20] | lo_v0[21];
    assign lo_i1[10] = ~lo_v0[20];
    assign lo_v1[11] = lo_v0[22] | lo_v0[23];
    assign lo_i1[11] = ~lo_v0[22];
    assign lo_v1[12] = lo_v0[24] | lo_v0[25];
    assign lo_i1[12] = ~lo_v0[24];
    assign lo_v1[13] = lo_v0[26] | lo_v0[27];
    assign lo_i1[13] = ~lo_v0[26];
    assign lo_v1[14] = lo_v0[28] | lo_v0[29];
    assign lo_i1[14] = ~lo_v0[28];
    assign lo_v1[15] = lo_v0[30] | lo_v0[31];
    assign lo_i1[15] = ~lo_v0[30];
    wire [7:0] lo_v2;
    wire [15:0] lo_i2;
    assign lo_v2[0] = lo_v1[0] | lo_v1[1];
    assign lo_i2[0 +: 2] = lo_v1[0] ? {1'b0, lo_i1[0 +: 1]} : {1'b1, lo_i1[1 +: 1]};
    assign lo_v2[1] = lo_v1[2] | lo_v1[3];
    assign lo_i2[2 +: 2] = lo_v1[2] ? {1'b0, lo_i1[2 +: 1]} : {1'b1, lo_i1[3 +: 1]};
    assign lo_v2[2] = lo_v1[4] | lo_v1[5];
    assign lo_i2[4 +: 2] = lo_v1[4] ? {1'b0, lo_i1[4 +: 1]} : {1'b1, lo_i1[5 +: 1]};
    assign lo_v2[3] = lo_v1[6] | lo_v1[7];
    assign lo_i2[6 +: 2] = lo_v1[6] ? {1'b0, lo_i1[6 +: 1]} : {1'b1, lo_i1[7 +: 1]};
    assign lo_v2[4] = lo_v1[8] | lo_v1[9];
    assign lo_i2[8 +: 2] = lo_v1[8] ? {1'b0, lo_i1[8 +: 1]} : {1'b1, lo_i1[9 +: 1]};
    assign lo_v2[5] = lo_v1[10] | lo_v1[11];
    assign lo_i2[10 +: 2] = lo_v1[10] ? {1'b0, lo_i1[10 +: 1]} : {1'b1, lo_i1[11 +: 1]};
    assign lo_v2[6] = lo_v1[12] | lo_v1[13];
    assign lo_i2[12 +: 2] = lo_v1[12] ? {1'b0, lo_i1[12 +: 1]} : {1'b1, lo_i1[13 +: 1]};
    assign lo_v2[7] = lo_v1[14] | lo_v1[15];
    assign lo_i2[14 +: 2] = lo_v1[14] ? {1'b0, lo_i1[14 +: 1]} : {1'b1, lo_i1[15 +: 1]};
    wire [3:0] lo_v3;
    wire [11:0] lo_i3;
    assign lo_v3[0] = lo_v2[0] | lo_v2[1];
    assign lo_i3[0 +: 3] = lo_v2[0] ? {1'b0, lo_i2[0 +: 2]} : {1'b1, lo_i2[2 +: 2]};
    assign lo_v3[1] = lo_v2[2] | lo_v2[3];
    assign lo_i3[3 +: 3] = lo_v2[2] ? {1'b0, lo_i2[4 +: 2]} : {1'b1, lo_i2[6 +: 2]};
    assign lo_v3[2] = lo_v2[4] | lo_v2[5];
    assign lo_i3[6 +: 3] = lo_v2[4] ? {1'b0, lo_i2[8 +: 2]} : {1'b1, lo_i2[10 +: 2]};
    assign lo_v3[3] = lo_v2[6] | lo_v2[7];
    assign lo_i3[9 +: 3] = lo_v2[6] ? {1'b0, lo_i2[12 +: 2]} : {1'b1, lo_i2[14 +: 2]};
    wire [1:0] lo_v4;
    wire [7:0] lo_i4;
    assign lo_v4[0] = lo_v3[0] | lo_v3[1];
    assign lo_i4[0 +: 4] = lo_v3[0] ? {1'b0, lo_i3[0 +: 3]} : {1'b1, lo_i3[3 +: 3]};
    assign lo_v4[1] = lo_v3[2] | lo_v3[3];
    assign lo_i4[4 +: 4] = lo_v3[2] ? {1'b0, lo_i3[6 +: 3]} : {1'b1, lo_i3[9 +: 3]};
    wire [4:0] lo_i5;
    assign lo_i5[0 +: 5] = lo_v4[0] ? {1'b0, lo_i4[0 +: 4]} : {1'b1, lo_i4[4 +: 4]};
    /* verilator lint_on UNUSEDSIGNAL */
    wire [4:0] lo_idx = lo_i5;
    wire [7:0] emit_idx = em_base + {3'd0, lo_idx};
    always @(posedge clk) begin
        if (rst) em_q <= 32'd0;
        else if (state == S_WB) begin
            em_q    <= spk_q;
            em_base <= pass_base;
        end else if (em_q != 32'd0) em_q <= em_q & (em_q - 1'b1);
    end

    always @(posedge clk) begin
        if (state == S_CLR) vmem[f] <= 544'd0;
        else if (state == S_WB) vmem[f] <= vnew;
    end

    always @(posedge clk) begin
        out_valid <= 1'b0;
        p1_v <= (state == S_EV) && (e != n_ev);
        p2_v <= p1_v;
        p3_v <= p2_v;
        val2 <= ev_q[2:0];
        val3 <= val2;
        if (rst) begin
            state <= S_IDLE;
            busy  <= 1'b0;
            f     <= 3'd0;
            p1_v  <= 1'b0;
            p2_v  <= 1'b0;
            p3_v  <= 1'b0;
        end else begin
            case (state)
                S_IDLE: begin
                    f         <= 3'd0;
                    row_base  <= 13'd0;
                    pass_base <= 8'd0;
                    e         <= 11'd0;
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
                        f <= 3'd0;
                        state <= S_IDLE;
                        busy  <= 1'b0;
                    end else begin
                        f <= f + 1'b1;
                    end
                end
                S_EV: begin
                    if (e != n_ev) e <= e + 1'b1;
                    else if (!p1_v && !p2_v && !p3_v && em_q == 32'd0) state <= S_UPD;
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
                        row_base  <= row_base + 13'd1024;
                        pass_base <= pass_base + 8'd32;
                        e         <= 11'd0;
                        state     <= S_EV;
                    end
                end
                S_EMIT: if (em_q == 32'd0) begin
                    state <= S_IDLE;
                    busy  <= 1'b0;
                end
                default: state <= S_IDLE;
            endcase
            if (em_q != 32'd0) begin
                out_valid <= 1'b1;
                out_idx   <= emit_idx[7:0];
            end
        end
    end
endmodule
