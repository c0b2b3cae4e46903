`timescale 1ns / 1ps
// mnist_conv_layer1: layer 1, conv2d 32x12x12 -> 64x8x8, kernel 5x5, stride 1x1,
// padding 0x0, sum pool 2x2; 64 channels on 64 lanes in 1 passes, 4-bit Bernoulli probabilities,
// time-ensemble sampling. Arithmetic: docs/semantics.md §4.1; the engine and its timing: docs/engine.md, semantics §7.
//
// A timestep, per pass f:
//   S_EV    every input event goes through a 8-stage decomposition (list read; c; y, x; the stride;
//           the row of the position), then its kh*kw offsets leave one per cycle: the probability row f*M + c*kh*kw + o is
//           read, every lane draws (valid offset or not), and the lanes' accumulators at the output position
//           are read, added to and written back (one-deep forwarding for back-to-back hits on one position).
//   S_UPD   the Ho*Wo positions are scanned, one per cycle, P lanes at once: the neuron update of dense.v.hbs
//           (integrate; saturate and compare; reset and write back); the accumulators are cleared as read.
//   S_EMIT  the pool windows are scanned in row-major order (qh*qw spike rows each); a window's spiking lanes
//           leave one per cycle, lowest lane first, before the next window is read.
module mnist_conv_layer1 (
    input  wire              clk,
    input  wire              rst,
    input  wire              seed_load,     // re-seed every stream (start of an inference)
    input  wire [31:0]       seed_rt,       // runtime seed, valid from the cycle before seed_load on (docs/semantics.md §1.2)
    input  wire              sample_start,  // clear membranes
    input  wire              step_start,    // one timestep over the events written since the last step
    output reg               busy,
    input  wire              ev_we,
    input  wire [12:0] ev_idx,        // flat CHW index of an input event
    input  wire [2:0] ev_val,
    output reg               out_valid,
    output reg  [9:0] out_idx,
    output reg  [3:0] out_val        // spikes in the window (a sum pool)
);
    localparam [2:0] S_IDLE = 3'd0, S_CLR = 3'd1, S_EV = 3'd3, S_UPD = 3'd4, S_EMIT = 3'd5;
    localparam [17:0] VMAX = 18'sd32767;
    localparam [17:0] VMIN = -18'sd32768;
    localparam [2047:0] WSEED = {32'h76bc96e1, 32'h43155583, 32'hb328d468, 32'hf1171395, 32'he8825db0, 32'h2d0fd550, 32'h1d50960d, 32'h35d0b6a9, 32'h6eeb1970, 32'hbfaf26d8, 32'hd7f2430c, 32'hfc1bbb31, 32'hdd14ddcf, 32'h56430d5d, 32'h94d528ef, 32'h55b9c6b0, 32'h803c76bb, 32'h025693fb, 32'h4978fcbd, 32'hdc52e26a, 32'hf966e48f, 32'hbcef91e5, 32'ha0d29217, 32'hec24ef39, 32'hb159f5c8, 32'h196f960e, 32'h966d262f, 32'ha90ceaf1, 32'h76939bfc, 32'h66b90f60, 32'h8f4ba7ed, 32'h4b2ae266, 32'h81de1bfa, 32'hc5a0a4b7, 32'h93c9de65, 32'h47658bd9, 32'h69bba7e3, 32'hc558fc49, 32'h9b84a8a1, 32'hcb79d456, 32'h963b66f3, 32'haf2510ff, 32'h1423ecae, 32'h2caa6061, 32'he0f2d733, 32'h015a66d8, 32'h38cf4ab7, 32'hdb529660, 32'h6c8a1562, 32'ha6b192d1, 32'h845b4a36, 32'h72a623fb, 32'hded69e7c, 32'h647664ad, 32'hbbae4516, 32'h267d77ed, 32'ha7715ffe, 32'h6e98542c, 32'h64b4d3c0, 32'h0fd13675, 32'h60b62518, 32'h0adf6008, 32'hd20ddc15, 32'h0036e76e};

    reg [2:0] state;
    reg [0:0] f;             // pass
    reg [9:0] row_base;      // f * M
    reg [5:0] vbase;         // f * Ho * Wo: the pass's membrane rows
    reg [10:0] fbase;         // f * P * Hp * Wp: output index of lane 0 of the pass
    wire last_pass = f == 1'd0;
    wire in_ev = state == S_EV;

    // ---- input event list, written by the previous stage while this layer is idle ----
    reg [12:0] wr_ptr;
    reg [12:0] n_ev;
    reg [12:0] e;
    reg [15:0] evmem [0:4607];
    always @(posedge clk) begin
        if (rst || seed_load || (state == S_IDLE && step_start)) wr_ptr <= 13'd0;
        else if (ev_we) wr_ptr <= wr_ptr + 1'b1;
        if (ev_we) evmem[wr_ptr[12:0]] <= {ev_idx, ev_val};
    end

    // ---- event decomposition: a stalling pipeline (hold while its last stage waits for the sequencer) ----
    // (with one input channel, or without input values, some of its signals are constant: lint waived here)
    /* verilator lint_off UNUSEDSIGNAL */
    wire hold;
    reg  [15:0] ev_q;
    always @(posedge clk) if (!hold) ev_q <= evmem[e[12:0]];
    wire [12:0] ev_q_idx = ev_q[15:3];
    wire [2:0] ev_q_val = ev_q[2:0];
    // restoring divisions by constants, two quotient bits per stage; c*kh*kw and qy*Wo as sums of constants
    reg  v0, v1, v2, v3, v4, v5, v6, v7;
    reg  [2:0] d1_val;
    reg  [0:0] d1_dc_g4;
    reg  [12:0] d1_dc_r;
    reg  [2:0] d2_val;
    reg  [0:0] d2_dc_g4;
    reg  [0:0] d2_dc_g3;
    reg  [0:0] d2_dc_g2;
    reg  [12:0] d2_dc_r;
    reg  [2:0] d3_val;
    reg  [0:0] d3_dc_g4;
    reg  [0:0] d3_dc_g3;
    reg  [0:0] d3_dc_g2;
    reg  [0:0] d3_dc_g1;
    reg  [0:0] d3_dc_g0;
    reg  [12:0] d3_dc_r;
    reg  [2:0] d4_val;
    reg  [4:0] d4_c;
    reg  [0:0] d4_dy_g3;
    reg  [0:0] d4_dy_g2;
    reg  [7:0] d4_dy_r;
    reg  [2:0] d5_val;
    reg  [4:0] d5_c;
    reg  [0:0] d5_dy_g3;
    reg  [0:0] d5_dy_g2;
    reg  [0:0] d5_dy_g1;
    reg  [0:0] d5_dy_g0;
    reg  [7:0] d5_dy_r;
    reg  [2:0] d6_val;
    reg  [3:0] d6_yy;
    reg  [3:0] d6_xx;
    reg  [9:0] d6_ck;
    reg  [2:0] d7_val;
    reg  [9:0] d7_ck;
    reg  [3:0] d7_qy;
    reg  [3:0] d7_qx;
    reg  [7:0] d7_prow;
    wire [13:0] w1_dc_t4 = {1'b0, ev_q_idx} - 14'd2304;
    wire [0:0] w1_dc_g4 = ~w1_dc_t4[13];
    wire [12:0] w1_dc_r4 = w1_dc_g4 ? w1_dc_t4[12:0] : ev_q_idx;
    wire [13:0] w2_dc_t3 = {1'b0, d1_dc_r} - 14'd1152;
    wire [0:0] w2_dc_g3 = ~w2_dc_t3[13];
    wire [12:0] w2_dc_r3 = w2_dc_g3 ? w2_dc_t3[12:0] : d1_dc_r;
    wire [13:0] w2_dc_t2 = {1'b0, w2_dc_r3} - 14'd576;
    wire [0:0] w2_dc_g2 = ~w2_dc_t2[13];
    wire [12:0] w2_dc_r2 = w2_dc_g2 ? w2_dc_t2[12:0] : w2_dc_r3;
    wire [13:0] w3_dc_t1 = {1'b0, d2_dc_r} - 14'd288;
    wire [0:0] w3_dc_g1 = ~w3_dc_t1[13];
    wire [12:0] w3_dc_r1 = w3_dc_g1 ? w3_dc_t1[12:0] : d2_dc_r;
    wire [13:0] w3_dc_t0 = {1'b0, w3_dc_r1} - 14'd144;
    wire [0:0] w3_dc_g0 = ~w3_dc_t0[13];
    wire [12:0] w3_dc_r0 = w3_dc_g0 ? w3_dc_t0[12:0] : w3_dc_r1;
    wire [4:0] a1_dc_q = {d3_dc_g4, d3_dc_g3, d3_dc_g2, d3_dc_g1, d3_dc_g0};
    wire [7:0] a2_pin = d3_dc_r[7:0];
    wire [8:0] w4_dy_t3 = {1'b0, a2_pin} - 9'd96;
    wire [0:0] w4_dy_g3 = ~w4_dy_t3[8];
    wire [7:0] w4_dy_r3 = w4_dy_g3 ? w4_dy_t3[7:0] : a2_pin;
    wire [8:0] w4_dy_t2 = {1'b0, w4_dy_r3} - 9'd48;
    wire [0:0] w4_dy_g2 = ~w4_dy_t2[8];
    wire [7:0] w4_dy_r2 = w4_dy_g2 ? w4_dy_t2[7:0] : w4_dy_r3;
    wire [8:0] w5_dy_t1 = {1'b0, d4_dy_r} - 9'd24;
    wire [0:0] w5_dy_g1 = ~w5_dy_t1[8];
    wire [7:0] w5_dy_r1 = w5_dy_g1 ? w5_dy_t1[7:0] : d4_dy_r;
    wire [8:0] w5_dy_t0 = {1'b0, w5_dy_r1} - 9'd12;
    wire [0:0] w5_dy_g0 = ~w5_dy_t0[8];
    wire [7:0] w5_dy_r0 = w5_dy_g0 ? w5_dy_t0[7:0] : w5_dy_r1;
    wire [3:0] a3_dy_q = {d5_dy_g3, d5_dy_g2, d5_dy_g1, d5_dy_g0};
    wire [3:0] a4_dy_rem = d5_dy_r[3:0];
    always @(posedge clk) begin
        if (rst || !in_ev) begin
            v0 <= 1'b0;
            v1 <= 1'b0;
            v2 <= 1'b0;
            v3 <= 1'b0;
            v4 <= 1'b0;
            v5 <= 1'b0;
            v6 <= 1'b0;
            v7 <= 1'b0;
        end else if (!hold) begin
            v0 <= e != n_ev;
            v1 <= v0;
            v2 <= v1;
            v3 <= v2;
            v4 <= v3;
            v5 <= v4;
            v6 <= v5;
            v7 <= v6;
        end
        if (!hold) begin
            d1_val <= ev_q_val;
            d1_dc_g4 <= w1_dc_g4;
            d1_dc_r <= w1_dc_r4;
            d2_val <= d1_val;
            d2_dc_g4 <= d1_dc_g4;
            d2_dc_g3 <= w2_dc_g3;
            d2_dc_g2 <= w2_dc_g2;
            d2_dc_r <= w2_dc_r2;
            d3_val <= d2_val;
            d3_dc_g4 <= d2_dc_g4;
            d3_dc_g3 <= d2_dc_g3;
            d3_dc_g2 <= d2_dc_g2;
            d3_dc_g1 <= w3_dc_g1;
            d3_dc_g0 <= w3_dc_g0;
            d3_dc_r <= w3_dc_r0;
            d4_val <= d3_val;
            d4_c <= a1_dc_q;
            d4_dy_g3 <= w4_dy_g3;
            d4_dy_g2 <= w4_dy_g2;
            d4_dy_r <= w4_dy_r2;
            d5_val <= d4_val;
            d5_c <= d4_c;
            d5_dy_g3 <= d4_dy_g3;
            d5_dy_g2 <= d4_dy_g2;
            d5_dy_g1 <= w5_dy_g1;
            d5_dy_g0 <= w5_dy_g0;
            d5_dy_r <= w5_dy_r0;
            d6_val <= d5_val;
            d6_yy <= a3_dy_q + 4'd0;
            d6_xx <= a4_dy_rem + 4'd0;
            d6_ck <= ({10{d5_c[0]}} & 10'd25) + ({10{d5_c[1]}} & 10'd50) + ({10{d5_c[2]}} & 10'd100) + ({10{d5_c[3]}} & 10'd200) + ({10{d5_c[4]}} & 10'd400);
            d7_val <= d6_val;
            d7_ck <= d6_ck;
            d7_qy <= d6_yy;
            d7_qx <= d6_xx;
            d7_prow <= ({8{d6_yy[0]}} & 8'd8) + ({8{d6_yy[1]}} & 8'd16) + ({8{d6_yy[2]}} & 8'd32) + ({8{d6_yy[3]}} & 8'd64);
        end
    end
    /* verilator lint_on UNUSEDSIGNAL */

    // ---- the offset sequencer: the event's kh*kw offsets, one per cycle, row-major ----
    // (cy, ry) and (cx, rx): y + ph - ky and x + pw - kx as stride * c + r; prow = cy * Wo.
    reg run;
    reg [2:0] ky;
    reg [2:0] kx;
    reg signed [4:0] cy;
    reg signed [4:0] cx;
    reg [0:0] ry;
    reg [0:0] rx;
    reg [3:0] qx0;
    reg [0:0] rx0;
    reg signed [7:0] prow;
    reg [9:0] srow;
    reg [2:0] sval;
    wire last_off = ky == 3'd4 && kx == 3'd4;
    wire load = v7 && (!run || last_off);
    assign hold = v7 && !load;
    always @(posedge clk) begin
        if (rst || !in_ev) run <= 1'b0;
        else if (load) run <= 1'b1;
        else if (run && last_off) run <= 1'b0;
        if (load) begin
            ky   <= 3'd0;
            kx   <= 3'd0;
            cy   <= {1'd0, d7_qy};
            ry   <= 1'd0;
            cx   <= {1'd0, d7_qx};
            rx   <= 1'd0;
            qx0  <= d7_qx;
            rx0  <= 1'd0;
            prow <= d7_prow;
            srow <= row_base + d7_ck;
            sval <= d7_val;
        end else if (run) begin
            srow <= srow + 1'b1;
            if (kx == 3'd4) begin
                kx <= 3'd0;
                ky <= ky + 1'b1;
                cx <= {1'd0, qx0};
                rx <= rx0;
                if (ry == 1'd0) begin
                    ry   <= 1'd0;
                    cy   <= cy - 1'b1;
                    prow <= prow - 8'sd8;
                end else ry <= ry - 1'b1;
            end else begin
                kx <= kx + 1'b1;
                if (rx == 1'd0) begin
                    rx <= 1'd0;
                    cx <= cx - 1'b1;
                end else rx <= rx - 1'b1;
            end
        end
    end
    // the offset reaches output (cy, cx) when both remainders are 0 and it lies inside Ho x Wo
    wire pos_ok = ry == 1'd0 && rx == 1'd0 && cy >= 0 && cx >= 0 && cy < 5'sd8 && cx < 5'sd8;
    /* verilator lint_off UNUSEDSIGNAL */
    wire signed [7:0] pos_full = prow + {{3{cx[4]}}, cx};
    /* verilator lint_on UNUSEDSIGNAL */

    // ---- stage A1 (row read), A2 (draw, accumulator read), A3 (add, write back) ----
    reg a1_v, a1_ok, a2_w;
    reg [5:0] a1_pos, a2_pos;
    reg [2:0] a1_val;
    /* verilator lint_off UNUSEDSIGNAL */
    reg [2:0] a2_val;   // unused without input values (x = 1)
    /* verilator lint_on UNUSEDSIGNAL */
    always @(posedge clk) begin
        a1_v   <= run && in_ev;
        a1_ok  <= pos_ok;
        a1_pos <= pos_full[5:0];
        a1_val <= sval;
        a2_w   <= a1_v && a1_ok;
        a2_pos <= a1_pos;
        a2_val <= a1_val;
        if (rst) begin
            a1_v <= 1'b0;
            a2_w <= 1'b0;
        end
    end

    // ---- probability memory: row f*M + (c*kh + ky)*kw + kx holds the P lanes' codes ----
    (* rom_style = "block" *) reg [255:0] probmem [0:799];
    initial $readmemh("mnist_conv_layer1_prob.mem", probmem);
    wire [9:0] prob_addr = srow;
    reg  [255:0] prob_q;
    always @(posedge clk) prob_q <= probmem[prob_addr];
    wire [63:0] wbit;
    wire w_adv = a1_v;    // every offset draws, valid or not (semantics §4.1)
    wire [63:0] wsel = wbit;

    // ---- accumulators: one row of P per output position; membranes: one row of P per (pass, position) ----
    (* ram_style = "block" *) reg [831:0] accmem [0:63];
    (* ram_style = "block" *) reg [1023:0] vmem [0:63];
    // a position's P spikes and, above them, whether any is set (the pool scan reads it; see win_any)
    (* ram_style = "block" *) reg [64:0] spkmem [0:63];
    reg  [831:0] acc_rd;
    reg  [831:0] fwd_row;   // the row written last cycle, for a read of the same position
    reg                    fwd;
    wire [831:0] acc_new;
    wire [831:0] acc_old = fwd ? fwd_row : acc_rd;
    reg  [63:0] w_q;

    // update scan
    reg  [5:0] up;          // position issued
    reg  [5:0] vaddr;        // vbase + up
    reg  up_v, u1_v, u2_v, u3_v;
    reg  [5:0] u1_p, u2_p, u3_p;
    reg  [5:0] u1_a, u2_a, u3_a;
    reg  [1023:0] vrow_q;
    wire [1023:0] vnew;
    wire [63:0] spk;
    reg  [63:0] spk_q;
    // sample start: clear every membrane row (and the accumulators)
    reg  [5:0] clr;

    wire [5:0] acc_raddr = (state == S_UPD) ? up : a1_pos;
    always @(posedge clk) begin
        acc_rd  <= accmem[acc_raddr];
        w_q     <= wsel;
        fwd     <= a1_v && a2_w && a1_pos == a2_pos;
        fwd_row <= acc_new;
        if (state == S_CLR) begin
            accmem[clr[5:0]] <= 832'd0;
        end else if (a2_w) accmem[a2_pos] <= acc_new;
        else if (u1_v) accmem[u1_p] <= 832'd0;
    end
    always @(posedge clk) begin
        vrow_q <= vmem[vaddr];
        if (state == S_CLR) vmem[clr] <= 1024'd0;
        else if (u3_v) vmem[u3_a] <= vnew;
        if (u3_v) spkmem[u3_p] <= {spk_q != 64'd0, spk_q};
    end

    // ---- thresholds and biases (read-only rows of P, by pass) ----
    reg  [1023:0] thrmem [0:0];
    reg  [1023:0] biasmem [0:0];
    initial $readmemh("mnist_conv_layer1_thr.mem", thrmem);
    initial $readmemh("mnist_conv_layer1_bias.mem", biasmem);
    wire [1023:0] throw_ = thrmem[f];
    wire [1023:0] brow = biasmem[f];

    // ---- runtime seed (docs/semantics.md §1.2): shared runtime-seed LFSRs XORed into every lane's draws ----
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
        for (j = 0; j < 64; j = j + 1) begin : g_lane
            // weight draw: +1 iff r < q, or q is the all-ones code
            wire [3:0] r_seed;
            reg  w_lock;   // seed_rt == this lane's seed(id)
            always @(posedge clk) w_lock <= seed_rt == WSEED[32*j +: 32];
            wire [3:0] r = r_seed ^ (w_rt & {4{~w_lock}});
            wire [3:0] q = prob_q[4*j +: 4];
            mnist_conv_lfsr_k4 #(.SEED(WSEED[32*j +: 32])) u_wrng (.clk(clk), .load(rst | seed_load), .adv(w_adv), .r(r_seed));
            assign wbit[j] = (r < q) | (&q);

            // accumulate at the offset's position: acc +/- x
            wire signed [12:0] acc_o = acc_old[13*j +: 13];
            wire signed [12:0] xv = $signed({10'd0, a2_val});
            assign acc_new[13*j +: 13] = w_q[j] ? acc_o + xv : acc_o - xv;

            // neuron update in three stages: U1 leak + integrate (and draw noise), U2 saturate + compare,
            // U3 reset + write back
            wire [15:0] v = vrow_q[16*j +: 16];
            wire [12:0] acc_b = acc_rd[13*j +: 13];
            wire [15:0] thr_b = throw_[16*j +: 16];
            wire [15:0] bias_b = brow[16*j +: 16];
            wire signed [17:0] vw = {{2{v[15]}}, v};
            wire signed [17:0] thr = {{2{thr_b[15]}}, thr_b};
            wire signed [17:0] bias = {{2{bias_b[15]}}, bias_b};
            wire signed [17:0] accw = {{5{acc_b[12]}}, acc_b};
            wire signed [17:0] leaked = vw;
            wire signed [17:0] sum = leaked + accw + bias;
            reg  signed [17:0] sum_q;
            always @(posedge clk) if (u1_v) sum_q <= sum;
            wire sat_hi = sum_q > $signed(VMAX);
            wire sat_lo = sum_q < $signed(VMIN);
            wire signed [17:0] vsat = sat_hi ? $signed(VMAX) : sat_lo ? $signed(VMIN) : sum_q;
            wire signed [17:0] thr_eff = thr;
            wire lane_real = !last_pass || (j < 64);
            wire ge_sum = sum_q >= thr_eff;
            wire ge_max = $signed(VMAX) >= thr_eff;
            wire ge_min = $signed(VMIN) >= thr_eff;
            assign spk[j] = lane_real && (sat_hi ? ge_max : sat_lo ? ge_min : ge_sum);
            /* verilator lint_off UNUSEDSIGNAL */
            wire signed [17:0] vsat_keep = vsat;
            /* verilator lint_on UNUSEDSIGNAL */
            reg  [15:0] vsat_q;
            always @(posedge clk) if (u2_v) vsat_q <= vsat_keep[15:0];
            wire signed [17:0] vsat_w = {{2{vsat_q[15]}}, vsat_q};
            wire signed [17:0] vsub = vsat_w - thr;
            wire signed [17:0] vres = (vsub < $signed(VMIN)) ? $signed(VMIN) : vsub;
            /* verilator lint_off UNUSEDSIGNAL */
            wire signed [17:0] vnext = spk_q[j] ? vres : vsat_w;
            /* verilator lint_on UNUSEDSIGNAL */
            assign vnew[16*j +: 16] = vnext[15:0];
        end
    endgenerate

    // ---- update pipeline ----
    always @(posedge clk) begin
        u1_v <= up_v;
        u2_v <= u1_v;
        u3_v <= u2_v;
        u1_p <= up;
        u2_p <= u1_p;
        u3_p <= u2_p;
        u1_a <= vaddr;
        u2_a <= u1_a;
        u3_a <= u2_a;
        if (u2_v) spk_q <= spk;
        if (rst) begin
            u1_v <= 1'b0;
            u2_v <= 1'b0;
            u3_v <= 1'b0;
        end
    end

    // ---- pool and emission: window by window, qh x qw spike rows each, then its spiking lanes ----
    reg  [5:0] sa;          // spike row read
    reg  [5:0] wstart;      // first row of the window
    reg  [5:0] rstart;      // first row of the window's current row
    reg  [5:0] pstart;      // first row of the current pooled row
    reg  [1:0] rcnt;         // row of the window being read
    reg  [4:0] wq;            // window being read
    reg  [4:0] wpx;           // its pooled column
    reg  iss;                        // reading the rows after the first of a window
    reg  [0:0] dx;           // column in the window
    reg  em_go;                      // the scan of this pass has started
    reg  sd_v, sd_first, sd_last;
    reg  [4:0] sd_q;
    reg  [64:0] sd_row;
    reg  cnt_any;                    // a count of the window so far is nonzero
    reg  [191:0] cnt;
    wire [191:0] fin;      // the window's counts with this cycle's row
    wire [63:0] fin_any;
    reg  [63:0] em_q;          // lanes of the latched window still to leave
    reg  [191:0] em_cnt;
    reg  [10:0] em_base;      // fbase + window index
    genvar jj;
    generate
        for (jj = 0; jj < 64; jj = jj + 1) begin : g_pool
            wire [2:0] prev = sd_first ? 3'd0 : cnt[3*jj +: 3];
            assign fin[3*jj +: 3] = prev + {2'd0, sd_row[jj]};
            assign fin_any[jj] = prev != 3'd0 || sd_row[jj];
        end
    endgenerate
    wire latch = sd_v && sd_last;
    // em_one: em_q has exactly one lane left, kept in a register beside em_q (a combinational one-hot test of
    // em_q was a P-bit carry chain in front of the scan's control: the critical path at 32 lanes)
    reg  em_one;
    wire [63:0] em_rest = em_q & (em_q - 1'b1);
    /* verilator lint_off UNUSEDSIGNAL */
    wire [63:0] fin_one_a0 = fin_any;
    wire [31:0] fin_one_a1, fin_one_o1;
    assign fin_one_a1[0] = fin_one_a0[0] | fin_one_a0[1];
    assign fin_one_o1[0] = (fin_one_a0[0] & ~fin_one_a0[1]) | (~fin_one_a0[0] & fin_one_a0[1]);
    assign fin_one_a1[1] = fin_one_a0[2] | fin_one_a0[3];
    assign fin_one_o1[1] = (fin_one_a0[2] & ~fin_one_a0[3]) | (~fin_one_a0[2] & fin_one_a0[3]);
    assign fin_one_a1[2] = fin_one_a0[4] | fin_one_a0[5];
    assign fin_one_o1[2] = (fin_one_a0[4] & ~fin_one_a0[5]) | (~fin_one_a0[4] & fin_one_a0[5]);
    assign fin_one_a1[3] = fin_one_a0[6] | fin_one_a0[7];
    assign fin_one_o1[3] = (fin_one_a0[6] & ~fin_one_a0[7]) | (~fin_one_a0[6] & fin_one_a0[7]);
    assign fin_one_a1[4] = fin_one_a0[8] | fin_one_a0[9];
    assign fin_one_o1[4] = (fin_one_a0[8] & ~fin_one_a0[9]) | (~fin_one_a0[8] & fin_one_a0[9]);
    assign fin_one_a1[5] = fin_one_a0[10] | fin_one_a0[11];
    assign fin_one_o1[5] = (fin_one_a0[10] & ~fin_one_a0[11]) | (~fin_one_a0[10] & fin_one_a0[11]);
    assign fin_one_a1[6] = fin_one_a0[12] | fin_one_a0[13];
    assign fin_one_o1[6] = (fin_one_a0[12] & ~fin_one_a0[13]) | (~fin_one_a0[12] & fin_one_a0[13]);
    assign fin_one_a1[7] = fin_one_a0[14] | fin_one_a0[15];
    assign fin_one_o1[7] = (fin_one_a0[14] & ~fin_one_a0[15]) | (~fin_one_a0[14] & fin_one_a0[15]);
    assign fin_one_a1[8] = fin_one_a0[16] | fin_one_a0[17];
    assign fin_one_o1[8] = (fin_one_a0[16] & ~fin_one_a0[17]) | (~fin_one_a0[16] & fin_one_a0[17]);
    assign fin_one_a1[9] = fin_one_a0[18] | fin_one_a0[19];
    assign fin_one_o1[9] = (fin_one_a0[18] & ~fin_one_a0[19]) | (~fin_one_a0[18] & fin_one_a0[19]);
    assign fin_one_a1[10] = fin_one_a0[20] | fin_one_a0[21];
    assign fin_one_o1[10] = (fin_one_a0[20] & ~fin_one_a0[21]) | (~fin_one_a0[20] & fin_one_a0[21]);
    assign fin_one_a1[11] = fin_one_a0[22] | fin_one_a0[23];
    assign fin_one_o1[11] = (fin_one_a0[22] & ~fin_one_a0[23]) | (~fin_one_a0[22] & fin_one_a0[23]);
    assign fin_one_a1[12] = fin_one_a0[24] | fin_one_a0[25];
    assign fin_one_o1[12] = (fin_one_a0[24] & ~fin_one_a0[25]) | (~fin_one_a0[24] & fin_one_a0[25]);
    assign fin_one_a1[13] = fin_one_a0[26] | fin_one_a0[27];
    assign fin_one_o1[13] = (fin_one_a0[26] & ~fin_one_a0[27]) | (~fin_one_a0[26] & fin_one_a0[27]);
    assign fin_one_a1[14] = fin_one_a0[28] | fin_one_a0[29];
    assign fin_one_o1[14] = (fin_one_a0[28] & ~fin_one_a0[29]) | (~fin_one_a0[28] & fin_one_a0[29]);
    assign fin_one_a1[15] = fin_one_a0[30] | fin_one_a0[31];
    assign fin_one_o1[15] = (fin_one_a0[30] & ~fin_one_a0[31]) | (~fin_one_a0[30] & fin_one_a0[31]);
    assign fin_one_a1[16] = fin_one_a0[32] | fin_one_a0[33];
    assign fin_one_o1[16] = (fin_one_a0[32] & ~fin_one_a0[33]) | (~fin_one_a0[32] & fin_one_a0[33]);
    assign fin_one_a1[17] = fin_one_a0[34] | fin_one_a0[35];
    assign fin_one_o1[17] = (fin_one_a0[34] & ~fin_one_a0[35]) | (~fin_one_a0[34] & fin_one_a0[35]);
    assign fin_one_a1[18] = fin_one_a0[36] | fin_one_a0[37];
    assign fin_one_o1[18] = (fin_one_a0[36] & ~fin_one_a0[37]) | (~fin_one_a0[36] & fin_one_a0[37]);
    assign fin_one_a1[19] = fin_one_a0[38] | fin_one_a0[39];
    assign fin_one_o1[19] = (fin_one_a0[38] & ~fin_one_a0[39]) | (~fin_one_a0[38] & fin_one_a0[39]);
    assign fin_one_a1[20] = fin_one_a0[40] | fin_one_a0[41];
    assign fin_one_o1[20] = (fin_one_a0[40] & ~fin_one_a0[41]) | (~fin_one_a0[40] & fin_one_a0[41]);
    assign fin_one_a1[21] = fin_one_a0[42] | fin_one_a0[43];
    assign fin_one_o1[21] = (fin_one_a0[42] & ~fin_one_a0[43]) | (~fin_one_a0[42] & fin_one_a0[43]);
    assign fin_one_a1[22] = fin_one_a0[44] | fin_one_a0[45];
    assign fin_one_o1[22] = (fin_one_a0[44] & ~fin_one_a0[45]) | (~fin_one_a0[44] & fin_one_a0[45]);
    assign fin_one_a1[23] = fin_one_a0[46] | fin_one_a0[47];
    assign fin_one_o1[23] = (fin_one_a0[46] & ~fin_one_a0[47]) | (~fin_one_a0[46] & fin_one_a0[47]);
    assign fin_one_a1[24] = fin_one_a0[48] | fin_one_a0[49];
    assign fin_one_o1[24] = (fin_one_a0[48] & ~fin_one_a0[49]) | (~fin_one_a0[48] & fin_one_a0[49]);
    assign fin_one_a1[25] = fin_one_a0[50] | fin_one_a0[51];
    assign fin_one_o1[25] = (fin_one_a0[50] & ~fin_one_a0[51]) | (~fin_one_a0[50] & fin_one_a0[51]);
    assign fin_one_a1[26] = fin_one_a0[52] | fin_one_a0[53];
    assign fin_one_o1[26] = (fin_one_a0[52] & ~fin_one_a0[53]) | (~fin_one_a0[52] & fin_one_a0[53]);
    assign fin_one_a1[27] = fin_one_a0[54] | fin_one_a0[55];
    assign fin_one_o1[27] = (fin_one_a0[54] & ~fin_one_a0[55]) | (~fin_one_a0[54] & fin_one_a0[55]);
    assign fin_one_a1[28] = fin_one_a0[56] | fin_one_a0[57];
    assign fin_one_o1[28] = (fin_one_a0[56] & ~fin_one_a0[57]) | (~fin_one_a0[56] & fin_one_a0[57]);
    assign fin_one_a1[29] = fin_one_a0[58] | fin_one_a0[59];
    assign fin_one_o1[29] = (fin_one_a0[58] & ~fin_one_a0[59]) | (~fin_one_a0[58] & fin_one_a0[59]);
    assign fin_one_a1[30] = fin_one_a0[60] | fin_one_a0[61];
    assign fin_one_o1[30] = (fin_one_a0[60] & ~fin_one_a0[61]) | (~fin_one_a0[60] & fin_one_a0[61]);
    assign fin_one_a1[31] = fin_one_a0[62] | fin_one_a0[63];
    assign fin_one_o1[31] = (fin_one_a0[62] & ~fin_one_a0[63]) | (~fin_one_a0[62] & fin_one_a0[63]);
    wire [15:0] fin_one_a2, fin_one_o2;
    assign fin_one_a2[0] = fin_one_a1[0] | fin_one_a1[1];
    assign fin_one_o2[0] = (fin_one_o1[0] & ~fin_one_a1[1]) | (~fin_one_a1[0] & fin_one_o1[1]);
    assign fin_one_a2[1] = fin_one_a1[2] | fin_one_a1[3];
    assign fin_one_o2[1] = (fin_one_o1[2] & ~fin_one_a1[3]) | (~fin_one_a1[2] & fin_one_o1[3]);
    assign fin_one_a2[2] = fin_one_a1[4] | fin_one_a1[5];
    assign fin_one_o2[2] = (fin_one_o1[4] & ~fin_one_a1[5]) | (~fin_one_a1[4] & fin_one_o1[5]);
    assign fin_one_a2[3] = fin_one_a1[6] | fin_one_a1[7];
    assign fin_one_o2[3] = (fin_one_o1[6] & ~fin_one_a1[7]) | (~fin_one_a1[6] & fin_one_o1[7]);
    assign fin_one_a2[4] = fin_one_a1[8] | fin_one_a1[9];
    assign fin_one_o2[4] = (fin_one_o1[8] & ~fin_one_a1[9]) | (~fin_one_a1[8] & fin_one_o1[9]);
    assign fin_one_a2[5] = fin_one_a1[10] | fin_one_a1[11];
    assign fin_one_o2[5] = (fin_one_o1[10] & ~fin_one_a1[11]) | (~fin_one_a1[10] & fin_one_o1[11]);
    assign fin_one_a2[6] = fin_one_a1[12] | fin_one_a1[13];
    assign fin_one_o2[6] = (fin_one_o1[12] & ~fin_one_a1[13]) | (~fin_one_a1[12] & fin_one_o1[13]);
    assign fin_one_a2[7] = fin_one_a1[14] | fin_one_a1[15];
    assign fin_one_o2[7] = (fin_one_o1[14] & ~fin_one_a1[15]) | (~fin_one_a1[14] & fin_one_o1[15]);
    assign fin_one_a2[8] = fin_one_a1[16] | fin_one_a1[17];
    assign fin_one_o2[8] = (fin_one_o1[16] & ~fin_one_a1[17]) | (~fin_one_a1[16] & fin_one_o1[17]);
    assign fin_one_a2[9] = fin_one_a1[18] | fin_one_a1[19];
    assign fin_one_o2[9] = (fin_one_o1[18] & ~fin_one_a1[19]) | (~fin_one_a1[18] & fin_one_o1[19]);
    assign fin_one_a2[10] = fin_one_a1[20] | fin_one_a1[21];
    assign fin_one_o2[10] = (fin_one_o1[20] & ~fin_one_a1[21]) | (~fin_one_a1[20] & fin_one_o1[21]);
    assign fin_one_a2[11] = fin_one_a1[22] | fin_one_a1[23];
    assign fin_one_o2[11] = (fin_one_o1[22] & ~fin_one_a1[23]) | (~fin_one_a1[22] & fin_one_o1[23]);
    assign fin_one_a2[12] = fin_one_a1[24] | fin_one_a1[25];
    assign fin_one_o2[12] = (fin_one_o1[24] & ~fin_one_a1[25]) | (~fin_one_a1[24] & fin_one_o1[25]);
    assign fin_one_a2[13] = fin_one_a1[26] | fin_one_a1[27];
    assign fin_one_o2[13] = (fin_one_o1[26] & ~fin_one_a1[27]) | (~fin_one_a1[26] & fin_one_o1[27]);
    assign fin_one_a2[14] = fin_one_a1[28] | fin_one_a1[29];
    assign fin_one_o2[14] = (fin_one_o1[28] & ~fin_one_a1[29]) | (~fin_one_a1[28] & fin_one_o1[29]);
    assign fin_one_a2[15] = fin_one_a1[30] | fin_one_a1[31];
    assign fin_one_o2[15] = (fin_one_o1[30] & ~fin_one_a1[31]) | (~fin_one_a1[30] & fin_one_o1[31]);
    wire [7:0] fin_one_a3, fin_one_o3;
    assign fin_one_a3[0] = fin_one_a2[0] | fin_one_a2[1];
    assign fin_one_o3[0] = (fin_one_o2[0] & ~fin_one_a2[1]) | (~fin_one_a2[0] & fin_one_o2[1]);
    assign fin_one_a3[1] = fin_one_a2[2] | fin_one_a2[3];
    assign fin_one_o3[1] = (fin_one_o2[2] & ~fin_one_a2[3]) | (~fin_one_a2[2] & fin_one_o2[3]);
    assign fin_one_a3[2] = fin_one_a2[4] | fin_one_a2[5];
    assign fin_one_o3[2] = (fin_one_o2[4] & ~fin_one_a2[5]) | (~fin_one_a2[4] & fin_one_o2[5]);
    assign fin_one_a3[3] = fin_one_a2[6] | fin_one_a2[7];
    assign fin_one_o3[3] = (fin_one_o2[6] & ~fin_one_a2[7]) | (~fin_one_a2[6] & fin_one_o2[7]);
    assign fin_one_a3[4] = fin_one_a2[8] | fin_one_a2[9];
    assign fin_one_o3[4] = (fin_one_o2[8] & ~fin_one_a2[9]) | (~fin_one_a2[8] & fin_one_o2[9]);
    assign fin_one_a3[5] = fin_one_a2[10] | fin_one_a2[11];
    assign fin_one_o3[5] = (fin_one_o2[10] & ~fin_one_a2[11]) | (~fin_one_a2[10] & fin_one_o2[11]);
    assign fin_one_a3[6] = fin_one_a2[12] | fin_one_a2[13];
    assign fin_one_o3[6] = (fin_one_o2[12] & ~fin_one_a2[13]) | (~fin_one_a2[12] & fin_one_o2[13]);
    assign fin_one_a3[7] = fin_one_a2[14] | fin_one_a2[15];
    assign fin_one_o3[7] = (fin_one_o2[14] & ~fin_one_a2[15]) | (~fin_one_a2[14] & fin_one_o2[15]);
    wire [3:0] fin_one_a4, fin_one_o4;
    assign fin_one_a4[0] = fin_one_a3[0] | fin_one_a3[1];
    assign fin_one_o4[0] = (fin_one_o3[0] & ~fin_one_a3[1]) | (~fin_one_a3[0] & fin_one_o3[1]);
    assign fin_one_a4[1] = fin_one_a3[2] | fin_one_a3[3];
    assign fin_one_o4[1] = (fin_one_o3[2] & ~fin_one_a3[3]) | (~fin_one_a3[2] & fin_one_o3[3]);
    assign fin_one_a4[2] = fin_one_a3[4] | fin_one_a3[5];
    assign fin_one_o4[2] = (fin_one_o3[4] & ~fin_one_a3[5]) | (~fin_one_a3[4] & fin_one_o3[5]);
    assign fin_one_a4[3] = fin_one_a3[6] | fin_one_a3[7];
    assign fin_one_o4[3] = (fin_one_o3[6] & ~fin_one_a3[7]) | (~fin_one_a3[6] & fin_one_o3[7]);
    wire [1:0] fin_one_a5, fin_one_o5;
    assign fin_one_a5[0] = fin_one_a4[0] | fin_one_a4[1];
    assign fin_one_o5[0] = (fin_one_o4[0] & ~fin_one_a4[1]) | (~fin_one_a4[0] & fin_one_o4[1]);
    assign fin_one_a5[1] = fin_one_a4[2] | fin_one_a4[3];
    assign fin_one_o5[1] = (fin_one_o4[2] & ~fin_one_a4[3]) | (~fin_one_a4[2] & fin_one_o4[3]);
    wire [0:0] fin_one_a6, fin_one_o6;
    assign fin_one_a6[0] = fin_one_a5[0] | fin_one_a5[1];
    assign fin_one_o6[0] = (fin_one_o5[0] & ~fin_one_a5[1]) | (~fin_one_a5[0] & fin_one_o5[1]);
    wire fin_one = fin_one_o6[0];
    /* verilator lint_on UNUSEDSIGNAL */
    /* verilator lint_off UNUSEDSIGNAL */
    wire [63:0] rest_one_a0 = em_q;
    wire [31:0] rest_one_a1, rest_one_o1, rest_one_t1;
    assign rest_one_a1[0] = rest_one_a0[0] | rest_one_a0[1];
    assign rest_one_o1[0] = (rest_one_a0[0] & ~rest_one_a0[1]) | (~rest_one_a0[0] & rest_one_a0[1]);
    assign rest_one_t1[0] = (rest_one_a0[0] & rest_one_a0[1]);
    assign rest_one_a1[1] = rest_one_a0[2] | rest_one_a0[3];
    assign rest_one_o1[1] = (rest_one_a0[2] & ~rest_one_a0[3]) | (~rest_one_a0[2] & rest_one_a0[3]);
    assign rest_one_t1[1] = (rest_one_a0[2] & rest_one_a0[3]);
    assign rest_one_a1[2] = rest_one_a0[4] | rest_one_a0[5];
    assign rest_one_o1[2] = (rest_one_a0[4] & ~rest_one_a0[5]) | (~rest_one_a0[4] & rest_one_a0[5]);
    assign rest_one_t1[2] = (rest_one_a0[4] & rest_one_a0[5]);
    assign rest_one_a1[3] = rest_one_a0[6] | rest_one_a0[7];
    assign rest_one_o1[3] = (rest_one_a0[6] & ~rest_one_a0[7]) | (~rest_one_a0[6] & rest_one_a0[7]);
    assign rest_one_t1[3] = (rest_one_a0[6] & rest_one_a0[7]);
    assign rest_one_a1[4] = rest_one_a0[8] | rest_one_a0[9];
    assign rest_one_o1[4] = (rest_one_a0[8] & ~rest_one_a0[9]) | (~rest_one_a0[8] & rest_one_a0[9]);
    assign rest_one_t1[4] = (rest_one_a0[8] & rest_one_a0[9]);
    assign rest_one_a1[5] = rest_one_a0[10] | rest_one_a0[11];
    assign rest_one_o1[5] = (rest_one_a0[10] & ~rest_one_a0[11]) | (~rest_one_a0[10] & rest_one_a0[11]);
    assign rest_one_t1[5] = (rest_one_a0[10] & rest_one_a0[11]);
    assign rest_one_a1[6] = rest_one_a0[12] | rest_one_a0[13];
    assign rest_one_o1[6] = (rest_one_a0[12] & ~rest_one_a0[13]) | (~rest_one_a0[12] & rest_one_a0[13]);
    assign rest_one_t1[6] = (rest_one_a0[12] & rest_one_a0[13]);
    assign rest_one_a1[7] = rest_one_a0[14] | rest_one_a0[15];
    assign rest_one_o1[7] = (rest_one_a0[14] & ~rest_one_a0[15]) | (~rest_one_a0[14] & rest_one_a0[15]);
    assign rest_one_t1[7] = (rest_one_a0[14] & rest_one_a0[15]);
    assign rest_one_a1[8] = rest_one_a0[16] | rest_one_a0[17];
    assign rest_one_o1[8] = (rest_one_a0[16] & ~rest_one_a0[17]) | (~rest_one_a0[16] & rest_one_a0[17]);
    assign rest_one_t1[8] = (rest_one_a0[16] & rest_one_a0[17]);
    assign rest_one_a1[9] = rest_one_a0[18] | rest_one_a0[19];
    assign rest_one_o1[9] = (rest_one_a0[18] & ~rest_one_a0[19]) | (~rest_one_a0[18] & rest_one_a0[19]);
    assign rest_one_t1[9] = (rest_one_a0[18] & rest_one_a0[19]);
    assign rest_one_a1[10] = rest_one_a0[20] | rest_one_a0[21];
    assign rest_one_o1[10] = (rest_one_a0[20] & ~rest_one_a0[21]) | (~rest_one_a0[20] & rest_one_a0[21]);
    assign rest_one_t1[10] = (rest_one_a0[20] & rest_one_a0[21]);
    assign rest_one_a1[11] = rest_one_a0[22] | rest_one_a0[23];
    assign rest_one_o1[11] = (rest_one_a0[22] & ~rest_one_a0[23]) | (~rest_one_a0[22] & rest_one_a0[23]);
    assign rest_one_t1[11] = (rest_one_a0[22] & rest_one_a0[23]);
    assign rest_one_a1[12] = rest_one_a0[24] | rest_one_a0[25];
    assign rest_one_o1[12] = (rest_one_a0[24] & ~rest_one_a0[25]) | (~rest_one_a0[24] & rest_one_a0[25]);
    assign rest_one_t1[12] = (rest_one_a0[24] & rest_one_a0[25]);
    assign rest_one_a1[13] = rest_one_a0[26] | rest_one_a0[27];
    assign rest_one_o1[13] = (rest_one_a0[26] & ~rest_one_a0[27]) | (~rest_one_a0[26] & rest_one_a0[27]);
    assign rest_one_t1[13] = (rest_one_a0[26] & rest_one_a0[27]);
    assign rest_one_a1[14] = rest_one_a0[28] | rest_one_a0[29];
    assign rest_one_o1[14] = (rest_one_a0[28] & ~rest_one_a0[29]) | (~rest_one_a0[28] & rest_one_a0[29]);
    assign rest_one_t1[14] = (rest_one_a0[28] & rest_one_a0[29]);
    assign rest_one_a1[15] = rest_one_a0[30] | rest_one_a0[31];
    assign rest_one_o1[15] = (rest_one_a0[30] & ~rest_one_a0[31]) | (~rest_one_a0[30] & rest_one_a0[31]);
    assign rest_one_t1[15] = (rest_one_a0[30] & rest_one_a0[31]);
    assign rest_one_a1[16] = rest_one_a0[32] | rest_one_a0[33];
    assign rest_one_o1[16] = (rest_one_a0[32] & ~rest_one_a0[33]) | (~rest_one_a0[32] & rest_one_a0[33]);
    assign rest_one_t1[16] = (rest_one_a0[32] & rest_one_a0[33]);
    assign rest_one_a1[17] = rest_one_a0[34] | rest_one_a0[35];
    assign rest_one_o1[17] = (rest_one_a0[34] & ~rest_one_a0[35]) | (~rest_one_a0[34] & rest_one_a0[35]);
    assign rest_one_t1[17] = (rest_one_a0[34] & rest_one_a0[35]);
    assign rest_one_a1[18] = rest_one_a0[36] | rest_one_a0[37];
    assign rest_one_o1[18] = (rest_one_a0[36] & ~rest_one_a0[37]) | (~rest_one_a0[36] & rest_one_a0[37]);
    assign rest_one_t1[18] = (rest_one_a0[36] & rest_one_a0[37]);
    assign rest_one_a1[19] = rest_one_a0[38] | rest_one_a0[39];
    assign rest_one_o1[19] = (rest_one_a0[38] & ~rest_one_a0[39]) | (~rest_one_a0[38] & rest_one_a0[39]);
    assign rest_one_t1[19] = (rest_one_a0[38] & rest_one_a0[39]);
    assign rest_one_a1[20] = rest_one_a0[40] | rest_one_a0[41];
    assign rest_one_o1[20] = (rest_one_a0[40] & ~rest_one_a0[41]) | (~rest_one_a0[40] & rest_one_a0[41]);
    assign rest_one_t1[20] = (rest_one_a0[40] & rest_one_a0[41]);
    assign rest_one_a1[21] = rest_one_a0[42] | rest_one_a0[43];
    assign rest_one_o1[21] = (rest_one_a0[42] & ~rest_one_a0[43]) | (~rest_one_a0[42] & rest_one_a0[43]);
    assign rest_one_t1[21] = (rest_one_a0[42] & rest_one_a0[43]);
    assign rest_one_a1[22] = rest_one_a0[44] | rest_one_a0[45];
    assign rest_one_o1[22] = (rest_one_a0[44] & ~rest_one_a0[45]) | (~rest_one_a0[44] & rest_one_a0[45]);
    assign rest_one_t1[22] = (rest_one_a0[44] & rest_one_a0[45]);
    assign rest_one_a1[23] = rest_one_a0[46] | rest_one_a0[47];
    assign rest_one_o1[23] = (rest_one_a0[46] & ~rest_one_a0[47]) | (~rest_one_a0[46] & rest_one_a0[47]);
    assign rest_one_t1[23] = (rest_one_a0[46] & rest_one_a0[47]);
    assign rest_one_a1[24] = rest_one_a0[48] | rest_one_a0[49];
    assign rest_one_o1[24] = (rest_one_a0[48] & ~rest_one_a0[49]) | (~rest_one_a0[48] & rest_one_a0[49]);
    assign rest_one_t1[24] = (rest_one_a0[48] & rest_one_a0[49]);
    assign rest_one_a1[25] = rest_one_a0[50] | rest_one_a0[51];
    assign rest_one_o1[25] = (rest_one_a0[50] & ~rest_one_a0[51]) | (~rest_one_a0[50] & rest_one_a0[51]);
    assign rest_one_t1[25] = (rest_one_a0[50] & rest_one_a0[51]);
    assign rest_one_a1[26] = rest_one_a0[52] | rest_one_a0[53];
    assign rest_one_o1[26] = (rest_one_a0[52] & ~rest_one_a0[53]) | (~rest_one_a0[52] & rest_one_a0[53]);
    assign rest_one_t1[26] = (rest_one_a0[52] & rest_one_a0[53]);
    assign rest_one_a1[27] = rest_one_a0[54] | rest_one_a0[55];
    assign rest_one_o1[27] = (rest_one_a0[54] & ~rest_one_a0[55]) | (~rest_one_a0[54] & rest_one_a0[55]);
    assign rest_one_t1[27] = (rest_one_a0[54] & rest_one_a0[55]);
    assign rest_one_a1[28] = rest_one_a0[56] | rest_one_a0[57];
    assign rest_one_o1[28] = (rest_one_a0[56] & ~rest_one_a0[57]) | (~rest_one_a0[56] & rest_one_a0[57]);
    assign rest_one_t1[28] = (rest_one_a0[56] & rest_one_a0[57]);
    assign rest_one_a1[29] = rest_one_a0[58] | rest_one_a0[59];
    assign rest_one_o1[29] = (rest_one_a0[58] & ~rest_one_a0[59]) | (~rest_one_a0[58] & rest_one_a0[59]);
    assign rest_one_t1[29] = (rest_one_a0[58] & rest_one_a0[59]);
    assign rest_one_a1[30] = rest_one_a0[60] | rest_one_a0[61];
    assign rest_one_o1[30] = (rest_one_a0[60] & ~rest_one_a0[61]) | (~rest_one_a0[60] & rest_one_a0[61]);
    assign rest_one_t1[30] = (rest_one_a0[60] & rest_one_a0[61]);
    assign rest_one_a1[31] = rest_one_a0[62] | rest_one_a0[63];
    assign rest_one_o1[31] = (rest_one_a0[62] & ~rest_one_a0[63]) | (~rest_one_a0[62] & rest_one_a0[63]);
    assign rest_one_t1[31] = (rest_one_a0[62] & rest_one_a0[63]);
    wire [15:0] rest_one_a2, rest_one_o2, rest_one_t2;
    assign rest_one_a2[0] = rest_one_a1[0] | rest_one_a1[1];
    assign rest_one_o2[0] = (rest_one_o1[0] & ~rest_one_a1[1]) | (~rest_one_a1[0] & rest_one_o1[1]);
    assign rest_one_t2[0] = (rest_one_t1[0] & ~rest_one_a1[1]) | (~rest_one_a1[0] & rest_one_t1[1]) | (rest_one_o1[0] & rest_one_o1[1]);
    assign rest_one_a2[1] = rest_one_a1[2] | rest_one_a1[3];
    assign rest_one_o2[1] = (rest_one_o1[2] & ~rest_one_a1[3]) | (~rest_one_a1[2] & rest_one_o1[3]);
    assign rest_one_t2[1] = (rest_one_t1[2] & ~rest_one_a1[3]) | (~rest_one_a1[2] & rest_one_t1[3]) | (rest_one_o1[2] & rest_one_o1[3]);
    assign rest_one_a2[2] = rest_one_a1[4] | rest_one_a1[5];
    assign rest_one_o2[2] = (rest_one_o1[4] & ~rest_one_a1[5]) | (~rest_one_a1[4] & rest_one_o1[5]);
    assign rest_one_t2[2] = (rest_one_t1[4] & ~rest_one_a1[5]) | (~rest_one_a1[4] & rest_one_t1[5]) | (rest_one_o1[4] & rest_one_o1[5]);
    assign rest_one_a2[3] = rest_one_a1[6] | rest_one_a1[7];
    assign rest_one_o2[3] = (rest_one_o1[6] & ~rest_one_a1[7]) | (~rest_one_a1[6] & rest_one_o1[7]);
    assign rest_one_t2[3] = (rest_one_t1[6] & ~rest_one_a1[7]) | (~rest_one_a1[6] & rest_one_t1[7]) | (rest_one_o1[6] & rest_one_o1[7]);
    assign rest_one_a2[4] = rest_one_a1[8] | rest_one_a1[9];
    assign rest_one_o2[4] = (rest_one_o1[8] & ~rest_one_a1[9]) | (~rest_one_a1[8] & rest_one_o1[9]);
    assign rest_one_t2[4] = (rest_one_t1[8] & ~rest_one_a1[9]) | (~rest_one_a1[8] & rest_one_t1[9]) | (rest_one_o1[8] & rest_one_o1[9]);
    assign rest_one_a2[5] = rest_one_a1[10] | rest_one_a1[11];
    assign rest_one_o2[5] = (rest_one_o1[10] & ~rest_one_a1[11]) | (~rest_one_a1[10] & rest_one_o1[11]);
    assign rest_one_t2[5] = (rest_one_t1[10] & ~rest_one_a1[11]) | (~rest_one_a1[10] & rest_one_t1[11]) | (rest_one_o1[10] & rest_one_o1[11]);
    assign rest_one_a2[6] = rest_one_a1[12] | rest_one_a1[13];
    assign rest_one_o2[6] = (rest_one_o1[12] & ~rest_one_a1[13]) | (~rest_one_a1[12] & rest_one_o1[13]);
    assign rest_one_t2[6] = (rest_one_t1[12] & ~rest_one_a1[13]) | (~rest_one_a1[12] & rest_one_t1[13]) | (rest_one_o1[12] & rest_one_o1[13]);
    assign rest_one_a2[7] = rest_one_a1[14] | rest_one_a1[15];
    assign rest_one_o2[7] = (rest_one_o1[14] & ~rest_one_a1[15]) | (~rest_one_a1[14] & rest_one_o1[15]);
    assign rest_one_t2[7] = (rest_one_t1[14] & ~rest_one_a1[15]) | (~rest_one_a1[14] & rest_one_t1[15]) | (rest_one_o1[14] & rest_one_o1[15]);
    assign rest_one_a2[8] = rest_one_a1[16] | rest_one_a1[17];
    assign rest_one_o2[8] = (rest_one_o1[16] & ~rest_one_a1[17]) | (~rest_one_a1[16] & rest_one_o1[17]);
    assign rest_one_t2[8] = (rest_one_t1[16] & ~rest_one_a1[17]) | (~rest_one_a1[16] & rest_one_t1[17]) | (rest_one_o1[16] & rest_one_o1[17]);
    assign rest_one_a2[9] = rest_one_a1[18] | rest_one_a1[19];
    assign rest_one_o2[9] = (rest_one_o1[18] & ~rest_one_a1[19]) | (~rest_one_a1[18] & rest_one_o1[19]);
    assign rest_one_t2[9] = (rest_one_t1[18] & ~rest_one_a1[19]) | (~rest_one_a1[18] & rest_one_t1[19]) | (rest_one_o1[18] & rest_one_o1[19]);
    assign rest_one_a2[10] = rest_one_a1[20] | rest_one_a1[21];
    assign rest_one_o2[10] = (rest_one_o1[20] & ~rest_one_a1[21]) | (~rest_one_a1[20] & rest_one_o1[21]);
    assign rest_one_t2[10] = (rest_one_t1[20] & ~rest_one_a1[21]) | (~rest_one_a1[20] & rest_one_t1[21]) | (rest_one_o1[20] & rest_one_o1[21]);
    assign rest_one_a2[11] = rest_one_a1[22] | rest_one_a1[23];
    assign rest_one_o2[11] = (rest_one_o1[22] & ~rest_one_a1[23]) | (~rest_one_a1[22] & rest_one_o1[23]);
    assign rest_one_t2[11] = (rest_one_t1[22] & ~rest_one_a1[23]) | (~rest_one_a1[22] & rest_one_t1[23]) | (rest_one_o1[22] & rest_one_o1[23]);
    assign rest_one_a2[12] = rest_one_a1[24] | rest_one_a1[25];
    assign rest_one_o2[12] = (rest_one_o1[24] & ~rest_one_a1[25]) | (~rest_one_a1[24] & rest_one_o1[25]);
    assign rest_one_t2[12] = (rest_one_t1[24] & ~rest_one_a1[25]) | (~rest_one_a1[24] & rest_one_t1[25]) | (rest_one_o1[24] & rest_one_o1[25]);
    assign rest_one_a2[13] = rest_one_a1[26] | rest_one_a1[27];
    assign rest_one_o2[13] = (rest_one_o1[26] & ~rest_one_a1[27]) | (~rest_one_a1[26] & rest_one_o1[27]);
    assign rest_one_t2[13] = (rest_one_t1[26] & ~rest_one_a1[27]) | (~rest_one_a1[26] & rest_one_t1[27]) | (rest_one_o1[26] & rest_one_o1[27]);
    assign rest_one_a2[14] = rest_one_a1[28] | rest_one_a1[29];
    assign rest_one_o2[14] = (rest_one_o1[28] & ~rest_one_a1[29]) | (~rest_one_a1[28] & rest_one_o1[29]);
    assign rest_one_t2[14] = (rest_one_t1[28] & ~rest_one_a1[29]) | (~rest_one_a1[28] & rest_one_t1[29]) | (rest_one_o1[28] & rest_one_o1[29]);
    assign rest_one_a2[15] = rest_one_a1[30] | rest_one_a1[31];
    assign rest_one_o2[15] = (rest_one_o1[30] & ~rest_one_a1[31]) | (~rest_one_a1[30] & rest_one_o1[31]);
    assign rest_one_t2[15] = (rest_one_t1[30] & ~rest_one_a1[31]) | (~rest_one_a1[30] & rest_one_t1[31]) | (rest_one_o1[30] & rest_one_o1[31]);
    wire [7:0] rest_one_a3, rest_one_o3, rest_one_t3;
    assign rest_one_a3[0] = rest_one_a2[0] | rest_one_a2[1];
    assign rest_one_o3[0] = (rest_one_o2[0] & ~rest_one_a2[1]) | (~rest_one_a2[0] & rest_one_o2[1]);
    assign rest_one_t3[0] = (rest_one_t2[0] & ~rest_one_a2[1]) | (~rest_one_a2[0] & rest_one_t2[1]) | (rest_one_o2[0] & rest_one_o2[1]);
    assign rest_one_a3[1] = rest_one_a2[2] | rest_one_a2[3];
    assign rest_one_o3[1] = (rest_one_o2[2] & ~rest_one_a2[3]) | (~rest_one_a2[2] & rest_one_o2[3]);
    assign rest_one_t3[1] = (rest_one_t2[2] & ~rest_one_a2[3]) | (~rest_one_a2[2] & rest_one_t2[3]) | (rest_one_o2[2] & rest_one_o2[3]);
    assign rest_one_a3[2] = rest_one_a2[4] | rest_one_a2[5];
    assign rest_one_o3[2] = (rest_one_o2[4] & ~rest_one_a2[5]) | (~rest_one_a2[4] & rest_one_o2[5]);
    assign rest_one_t3[2] = (rest_one_t2[4] & ~rest_one_a2[5]) | (~rest_one_a2[4] & rest_one_t2[5]) | (rest_one_o2[4] & rest_one_o2[5]);
    assign rest_one_a3[3] = rest_one_a2[6] | rest_one_a2[7];
    assign rest_one_o3[3] = (rest_one_o2[6] & ~rest_one_a2[7]) | (~rest_one_a2[6] & rest_one_o2[7]);
    assign rest_one_t3[3] = (rest_one_t2[6] & ~rest_one_a2[7]) | (~rest_one_a2[6] & rest_one_t2[7]) | (rest_one_o2[6] & rest_one_o2[7]);
    assign rest_one_a3[4] = rest_one_a2[8] | rest_one_a2[9];
    assign rest_one_o3[4] = (rest_one_o2[8] & ~rest_one_a2[9]) | (~rest_one_a2[8] & rest_one_o2[9]);
    assign rest_one_t3[4] = (rest_one_t2[8] & ~rest_one_a2[9]) | (~rest_one_a2[8] & rest_one_t2[9]) | (rest_one_o2[8] & rest_one_o2[9]);
    assign rest_one_a3[5] = rest_one_a2[10] | rest_one_a2[11];
    assign rest_one_o3[5] = (rest_one_o2[10] & ~rest_one_a2[11]) | (~rest_one_a2[10] & rest_one_o2[11]);
    assign rest_one_t3[5] = (rest_one_t2[10] & ~rest_one_a2[11]) | (~rest_one_a2[10] & rest_one_t2[11]) | (rest_one_o2[10] & rest_one_o2[11]);
    assign rest_one_a3[6] = rest_one_a2[12] | rest_one_a2[13];
    assign rest_one_o3[6] = (rest_one_o2[12] & ~rest_one_a2[13]) | (~rest_one_a2[12] & rest_one_o2[13]);
    assign rest_one_t3[6] = (rest_one_t2[12] & ~rest_one_a2[13]) | (~rest_one_a2[12] & rest_one_t2[13]) | (rest_one_o2[12] & rest_one_o2[13]);
    assign rest_one_a3[7] = rest_one_a2[14] | rest_one_a2[15];
    assign rest_one_o3[7] = (rest_one_o2[14] & ~rest_one_a2[15]) | (~rest_one_a2[14] & rest_one_o2[15]);
    assign rest_one_t3[7] = (rest_one_t2[14] & ~rest_one_a2[15]) | (~rest_one_a2[14] & rest_one_t2[15]) | (rest_one_o2[14] & rest_one_o2[15]);
    wire [3:0] rest_one_a4, rest_one_o4, rest_one_t4;
    assign rest_one_a4[0] = rest_one_a3[0] | rest_one_a3[1];
    assign rest_one_o4[0] = (rest_one_o3[0] & ~rest_one_a3[1]) | (~rest_one_a3[0] & rest_one_o3[1]);
    assign rest_one_t4[0] = (rest_one_t3[0] & ~rest_one_a3[1]) | (~rest_one_a3[0] & rest_one_t3[1]) | (rest_one_o3[0] & rest_one_o3[1]);
    assign rest_one_a4[1] = rest_one_a3[2] | rest_one_a3[3];
    assign rest_one_o4[1] = (rest_one_o3[2] & ~rest_one_a3[3]) | (~rest_one_a3[2] & rest_one_o3[3]);
    assign rest_one_t4[1] = (rest_one_t3[2] & ~rest_one_a3[3]) | (~rest_one_a3[2] & rest_one_t3[3]) | (rest_one_o3[2] & rest_one_o3[3]);
    assign rest_one_a4[2] = rest_one_a3[4] | rest_one_a3[5];
    assign rest_one_o4[2] = (rest_one_o3[4] & ~rest_one_a3[5]) | (~rest_one_a3[4] & rest_one_o3[5]);
    assign rest_one_t4[2] = (rest_one_t3[4] & ~rest_one_a3[5]) | (~rest_one_a3[4] & rest_one_t3[5]) | (rest_one_o3[4] & rest_one_o3[5]);
    assign rest_one_a4[3] = rest_one_a3[6] | rest_one_a3[7];
    assign rest_one_o4[3] = (rest_one_o3[6] & ~rest_one_a3[7]) | (~rest_one_a3[6] & rest_one_o3[7]);
    assign rest_one_t4[3] = (rest_one_t3[6] & ~rest_one_a3[7]) | (~rest_one_a3[6] & rest_one_t3[7]) | (rest_one_o3[6] & rest_one_o3[7]);
    wire [1:0] rest_one_a5, rest_one_o5, rest_one_t5;
    assign rest_one_a5[0] = rest_one_a4[0] | rest_one_a4[1];
    assign rest_one_o5[0] = (rest_one_o4[0] & ~rest_one_a4[1]) | (~rest_one_a4[0] & rest_one_o4[1]);
    assign rest_one_t5[0] = (rest_one_t4[0] & ~rest_one_a4[1]) | (~rest_one_a4[0] & rest_one_t4[1]) | (rest_one_o4[0] & rest_one_o4[1]);
    assign rest_one_a5[1] = rest_one_a4[2] | rest_one_a4[3];
    assign rest_one_o5[1] = (rest_one_o4[2] & ~rest_one_a4[3]) | (~rest_one_a4[2] & rest_one_o4[3]);
    assign rest_one_t5[1] = (rest_one_t4[2] & ~rest_one_a4[3]) | (~rest_one_a4[2] & rest_one_t4[3]) | (rest_one_o4[2] & rest_one_o4[3]);
    wire [0:0] rest_one_a6, rest_one_o6, rest_one_t6;
    assign rest_one_a6[0] = rest_one_a5[0] | rest_one_a5[1];
    assign rest_one_o6[0] = (rest_one_o5[0] & ~rest_one_a5[1]) | (~rest_one_a5[0] & rest_one_o5[1]);
    assign rest_one_t6[0] = (rest_one_t5[0] & ~rest_one_a5[1]) | (~rest_one_a5[0] & rest_one_t5[1]) | (rest_one_o5[0] & rest_one_o5[1]);
    wire rest_one = rest_one_t6[0];
    /* verilator lint_on UNUSEDSIGNAL */
    // The next window (or the end of the pass) may start once the latched window has at most its last lane
    // left to send: at its latch if no lane spiked, else in the cycle its last lane leaves.
    // A lane of the window has spiked, from the row's stored any-bit: the scan's control waits on it, and a
    // P-wide test of fin_any after the block-RAM read was the critical path of a 64-lane layer.
    wire win_any = sd_row[64] || (!sd_first && cnt_any);
    wire win_free = sd_v ? (sd_last && !win_any) : (em_q == 64'd0 || em_one);
    wire last_row = rcnt == 2'd3;
    wire windows_done = wq == 5'd16;
    wire next_ok = state == S_EMIT && !iss && (!em_go || win_free);
    wire issue = iss || (next_ok && !windows_done);   // a spike row of the window is read this cycle

    /* verilator lint_off UNUSEDSIGNAL */
    wire [63:0] lo_v0 = em_q;
    wire [31:0] lo_v1;
    wire [31:0] lo_i1;
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
    assign lo_v1[16] = lo_v0[32] | lo_v0[33];
    assign lo_i1[16] = ~lo_v0[32];
    assign lo_v1[17] = lo_v0[34] | lo_v0[35];
    assign lo_i1[17] = ~lo_v0[34];
    assign lo_v1[18] = lo_v0[36] | lo_v0[37];
    assign lo_i1[18] = ~lo_v0[36];
    assign lo_v1[19] = lo_v0[38] | lo_v0[39];
    assign lo_i1[19] = ~lo_v0[38];
    assign lo_v1[20] = lo_v0[40] | lo_v0[41];
    assign lo_i1[20] = ~lo_v0[40];
    assign lo_v1[21] = lo_v0[42] | lo_v0[43];
    assign lo_i1[21] = ~lo_v0[42];
    assign lo_v1[22] = lo_v0[44] | lo_v0[45];
    assign lo_i1[22] = ~lo_v0[44];
    assign lo_v1[23] = lo_v0[46] | lo_v0[47];
    assign lo_i1[23] = ~lo_v0[46];
    assign lo_v1[24] = lo_v0[48] | lo_v0[49];
    assign lo_i1[24] = ~lo_v0[48];
    assign lo_v1[25] = lo_v0[50] | lo_v0[51];
    assign lo_i1[25] = ~lo_v0[50];
    assign lo_v1[26] = lo_v0[52] | lo_v0[53];
    assign lo_i1[26] = ~lo_v0[52];
    assign lo_v1[27] = lo_v0[54] | lo_v0[55];
    assign lo_i1[27] = ~lo_v0[54];
    assign lo_v1[28] = lo_v0[56] | lo_v0[57];
    assign lo_i1[28] = ~lo_v0[56];
    assign lo_v1[29] = lo_v0[58] | lo_v0[59];
    assign lo_i1[29] = ~lo_v0[58];
    assign lo_v1[30] = lo_v0[60] | lo_v0[61];
    assign lo_i1[30] = ~lo_v0[60];
    assign lo_v1[31] = lo_v0[62] | lo_v0[63];
    assign lo_i1[31] = ~lo_v0[62];
    wire [15:0] lo_v2;
    wire [31:0] lo_i2;
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
    assign lo_v2[8] = lo_v1[16] | lo_v1[17];
    assign lo_i2[16 +: 2] = lo_v1[16] ? {1'b0, lo_i1[16 +: 1]} : {1'b1, lo_i1[17 +: 1]};
    assign lo_v2[9] = lo_v1[18] | lo_v1[19];
    assign lo_i2[18 +: 2] = lo_v1[18] ? {1'b0, lo_i1[18 +: 1]} : {1'b1, lo_i1[19 +: 1]};
    assign lo_v2[10] = lo_v1[20] | lo_v1[21];
    assign lo_i2[20 +: 2] = lo_v1[20] ? {1'b0, lo_i1[20 +: 1]} : {1'b1, lo_i1[21 +: 1]};
    assign lo_v2[11] = lo_v1[22] | lo_v1[23];
    assign lo_i2[22 +: 2] = lo_v1[22] ? {1'b0, lo_i1[22 +: 1]} : {1'b1, lo_i1[23 +: 1]};
    assign lo_v2[12] = lo_v1[24] | lo_v1[25];
    assign lo_i2[24 +: 2] = lo_v1[24] ? {1'b0, lo_i1[24 +: 1]} : {1'b1, lo_i1[25 +: 1]};
    assign lo_v2[13] = lo_v1[26] | lo_v1[27];
    assign lo_i2[26 +: 2] = lo_v1[26] ? {1'b0, lo_i1[26 +: 1]} : {1'b1, lo_i1[27 +: 1]};
    assign lo_v2[14] = lo_v1[28] | lo_v1[29];
    assign lo_i2[28 +: 2] = lo_v1[28] ? {1'b0, lo_i1[28 +: 1]} : {1'b1, lo_i1[29 +: 1]};
    assign lo_v2[15] = lo_v1[30] | lo_v1[31];
    assign lo_i2[30 +: 2] = lo_v1[30] ? {1'b0, lo_i1[30 +: 1]} : {1'b1, lo_i1[31 +: 1]};
    wire [7:0] lo_v3;
    wire [23:0] lo_i3;
    assign lo_v3[0] = lo_v2[0] | lo_v2[1];
    assign lo_i3[0 +: 3] = lo_v2[0] ? {1'b0, lo_i2[0 +: 2]} : {1'b1, lo_i2[2 +: 2]};
    assign lo_v3[1] = lo_v2[2] | lo_v2[3];
    assign lo_i3[3 +: 3] = lo_v2[2] ? {1'b0, lo_i2[4 +: 2]} : {1'b1, lo_i2[6 +: 2]};
    assign lo_v3[2] = lo_v2[4] | lo_v2[5];
    assign lo_i3[6 +: 3] = lo_v2[4] ? {1'b0, lo_i2[8 +: 2]} : {1'b1, lo_i2[10 +: 2]};
    assign lo_v3[3] = lo_v2[6] | lo_v2[7];
    assign lo_i3[9 +: 3] = lo_v2[6] ? {1'b0, lo_i2[12 +: 2]} : {1'b1, lo_i2[14 +: 2]};
    assign lo_v3[4] = lo_v2[8] | lo_v2[9];
    assign lo_i3[12 +: 3] = lo_v2[8] ? {1'b0, lo_i2[16 +: 2]} : {1'b1, lo_i2[18 +: 2]};
    assign lo_v3[5] = lo_v2[10] | lo_v2[11];
    assign lo_i3[15 +: 3] = lo_v2[10] ? {1'b0, lo_i2[20 +: 2]} : {1'b1, lo_i2[22 +: 2]};
    assign lo_v3[6] = lo_v2[12] | lo_v2[13];
    assign lo_i3[18 +: 3] = lo_v2[12] ? {1'b0, lo_i2[24 +: 2]} : {1'b1, lo_i2[26 +: 2]};
    assign lo_v3[7] = lo_v2[14] | lo_v2[15];
    assign lo_i3[21 +: 3] = lo_v2[14] ? {1'b0, lo_i2[28 +: 2]} : {1'b1, lo_i2[30 +: 2]};
    wire [3:0] lo_v4;
    wire [15:0] lo_i4;
    assign lo_v4[0] = lo_v3[0] | lo_v3[1];
    assign lo_i4[0 +: 4] = lo_v3[0] ? {1'b0, lo_i3[0 +: 3]} : {1'b1, lo_i3[3 +: 3]};
    assign lo_v4[1] = lo_v3[2] | lo_v3[3];
    assign lo_i4[4 +: 4] = lo_v3[2] ? {1'b0, lo_i3[6 +: 3]} : {1'b1, lo_i3[9 +: 3]};
    assign lo_v4[2] = lo_v3[4] | lo_v3[5];
    assign lo_i4[8 +: 4] = lo_v3[4] ? {1'b0, lo_i3[12 +: 3]} : {1'b1, lo_i3[15 +: 3]};
    assign lo_v4[3] = lo_v3[6] | lo_v3[7];
    assign lo_i4[12 +: 4] = lo_v3[6] ? {1'b0, lo_i3[18 +: 3]} : {1'b1, lo_i3[21 +: 3]};
    wire [1:0] lo_v5;
    wire [9:0] lo_i5;
    assign lo_v5[0] = lo_v4[0] | lo_v4[1];
    assign lo_i5[0 +: 5] = lo_v4[0] ? {1'b0, lo_i4[0 +: 4]} : {1'b1, lo_i4[4 +: 4]};
    assign lo_v5[1] = lo_v4[2] | lo_v4[3];
    assign lo_i5[5 +: 5] = lo_v4[2] ? {1'b0, lo_i4[8 +: 4]} : {1'b1, lo_i4[12 +: 4]};
    wire [5:0] lo_i6;
    assign lo_i6[0 +: 6] = lo_v5[0] ? {1'b0, lo_i5[0 +: 5]} : {1'b1, lo_i5[5 +: 5]};
    /* verilator lint_on UNUSEDSIGNAL */
    wire [5:0] lo_idx = lo_i6;
    function [10:0] lane_off(input [5:0] lj);
        begin
            case (lj)
                6'd0: lane_off = 11'd0;
                6'd1: lane_off = 11'd16;
                6'd2: lane_off = 11'd32;
                6'd3: lane_off = 11'd48;
                6'd4: lane_off = 11'd64;
                6'd5: lane_off = 11'd80;
                6'd6: lane_off = 11'd96;
                6'd7: lane_off = 11'd112;
                6'd8: lane_off = 11'd128;
                6'd9: lane_off = 11'd144;
                6'd10: lane_off = 11'd160;
                6'd11: lane_off = 11'd176;
                6'd12: lane_off = 11'd192;
                6'd13: lane_off = 11'd208;
                6'd14: lane_off = 11'd224;
                6'd15: lane_off = 11'd240;
                6'd16: lane_off = 11'd256;
                6'd17: lane_off = 11'd272;
                6'd18: lane_off = 11'd288;
                6'd19: lane_off = 11'd304;
                6'd20: lane_off = 11'd320;
                6'd21: lane_off = 11'd336;
                6'd22: lane_off = 11'd352;
                6'd23: lane_off = 11'd368;
                6'd24: lane_off = 11'd384;
                6'd25: lane_off = 11'd400;
                6'd26: lane_off = 11'd416;
                6'd27: lane_off = 11'd432;
                6'd28: lane_off = 11'd448;
                6'd29: lane_off = 11'd464;
                6'd30: lane_off = 11'd480;
                6'd31: lane_off = 11'd496;
                6'd32: lane_off = 11'd512;
                6'd33: lane_off = 11'd528;
                6'd34: lane_off = 11'd544;
                6'd35: lane_off = 11'd560;
                6'd36: lane_off = 11'd576;
                6'd37: lane_off = 11'd592;
                6'd38: lane_off = 11'd608;
                6'd39: lane_off = 11'd624;
                6'd40: lane_off = 11'd640;
                6'd41: lane_off = 11'd656;
                6'd42: lane_off = 11'd672;
                6'd43: lane_off = 11'd688;
                6'd44: lane_off = 11'd704;
                6'd45: lane_off = 11'd720;
                6'd46: lane_off = 11'd736;
                6'd47: lane_off = 11'd752;
                6'd48: lane_off = 11'd768;
                6'd49: lane_off = 11'd784;
                6'd50: lane_off = 11'd800;
                6'd51: lane_off = 11'd816;
                6'd52: lane_off = 11'd832;
                6'd53: lane_off = 11'd848;
                6'd54: lane_off = 11'd864;
                6'd55: lane_off = 11'd880;
                6'd56: lane_off = 11'd896;
                6'd57: lane_off = 11'd912;
                6'd58: lane_off = 11'd928;
                6'd59: lane_off = 11'd944;
                6'd60: lane_off = 11'd960;
                6'd61: lane_off = 11'd976;
                6'd62: lane_off = 11'd992;
                6'd63: lane_off = 11'd1008;
                default: lane_off = 11'd0;
            endcase
        end
    endfunction
    /* verilator lint_off UNUSEDSIGNAL */
    wire [10:0] emit_idx = em_base + lane_off(lo_idx);
    /* verilator lint_on UNUSEDSIGNAL */
    wire [2:0] em_val = em_cnt[3*lo_idx +: 3];

    always @(posedge clk) begin
        sd_row   <= spkmem[sa];
        sd_v     <= issue;
        sd_first <= rcnt == 2'd0;
        sd_last  <= last_row;
        sd_q     <= wq;
        if (sd_v) cnt <= fin;
        if (sd_v) cnt_any <= win_any;
        if (rst) begin
            em_q   <= 64'd0;
            em_one <= 1'b0;
            sd_v   <= 1'b0;
        end else if (latch) begin
            em_q    <= fin_any;
            em_one  <= fin_one;
            em_cnt  <= fin;
            em_base <= fbase + {6'd0, sd_q};
        end else if (em_q != 64'd0) begin
            em_q   <= em_rest;
            em_one <= rest_one;
        end
    end

    // ---- control ----
    wire ev_done = e == n_ev && !v0 && !v1 && !v2 && !v3 && !v4 && !v5 && !v6 && !v7 && !run && !a1_v;
    always @(posedge clk) begin
        out_valid <= 1'b0;
        if (rst) begin
            state <= S_IDLE;
            busy  <= 1'b0;
            f     <= 1'd0;
            up_v  <= 1'b0;
            iss   <= 1'b0;
            em_go <= 1'b0;
        end else begin
            case (state)
                S_IDLE: begin
                    f        <= 1'd0;
                    row_base <= 10'd0;
                    vbase    <= 6'd0;
                    fbase    <= 11'd0;
                    e        <= 13'd0;
                    clr      <= 6'd0;
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
                    if (clr == 6'd63) begin
                        state <= S_IDLE;
                        busy  <= 1'b0;
                    end else clr <= clr + 1'b1;
                end
                S_EV: begin
                    if (!hold && e != n_ev) e <= e + 1'b1;
                    if (ev_done) begin
                        state <= S_UPD;
                        up    <= 6'd0;
                        vaddr <= vbase;
                        up_v  <= 1'b1;
                    end
                end
                S_UPD: begin
                    if (up_v) begin
                        if (up == 6'd63) up_v <= 1'b0;
                        else begin
                            up    <= up + 1'b1;
                            vaddr <= vaddr + 1'b1;
                        end
                    end else if (!u1_v && !u2_v) begin
                        state  <= S_EMIT;
                        em_go  <= 1'b0;
                        wq     <= 5'd0;
                        wpx    <= 5'd0;
                        sa     <= 6'd0;
                        wstart <= 6'd0;
                        rstart <= 6'd0;
                        pstart <= 6'd0;
                        rcnt   <= 2'd0;
                        dx     <= 1'd0;
                        iss    <= 1'b0;
                    end
                end
                S_EMIT: begin
                    if (issue) begin
                        // the window's rows, row-major
                        em_go <= 1'b1;
                        rcnt  <= last_row ? 2'd0 : rcnt + 1'b1;
                        iss   <= !last_row;
                        if (last_row) begin
                            wq <= wq + 1'b1;
                            dx <= 1'd0;
                            if (wpx == 5'd3) begin
                                wpx    <= 5'd0;
                                pstart <= pstart + 6'd16;
                                wstart <= pstart + 6'd16;
                                rstart <= pstart + 6'd16;
                                sa     <= pstart + 6'd16;
                            end else begin
                                wpx    <= wpx + 1'b1;
                                wstart <= wstart + 6'd2;
                                rstart <= wstart + 6'd2;
                                sa     <= wstart + 6'd2;
                            end
                        end else if (dx == 1'd1) begin
                            dx     <= 1'd0;
                            rstart <= rstart + 6'd8;
                            sa     <= rstart + 6'd8;
                        end else begin
                            dx <= dx + 1'b1;
                            sa <= sa + 1'b1;
                        end
                    end else if (next_ok) begin
                        // every window read and the last one's lanes (all but one) sent: the pass is over
                        if (last_pass) begin
                            state <= S_IDLE;
                            busy  <= 1'b0;
                        end
                    end
                end
                default: state <= S_IDLE;
            endcase
            if (em_q != 64'd0) begin
                out_valid <= 1'b1;
                out_idx   <= emit_idx[9:0];
                out_val   <= { 1'b0, em_val};
            end
        end
    end
endmodule
