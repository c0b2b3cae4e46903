`timescale 1ns / 1ps
// mnist_conv_layer1: layer 1, conv2d 16x12x12 -> 32x8x8, kernel 5x5, stride 1x1,
// padding 0x0, or pool 2x2; 32 channels on 32 lanes in 1 passes, 4-bit Bernoulli probabilities,
// time-ensemble sampling. Arithmetic: docs/semantics.md §4.1; the engine and its timing: docs/engine.md, semantics §7.
//
// A timestep, per pass f:
//   S_EV    every input event goes through a 7-stage decomposition (list read; c; y, x; the stride;
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
    input  wire [11:0] ev_idx,        // flat CHW index of an input event
    output reg               out_valid,
    output reg  [8:0] out_idx
);
    localparam [2:0] S_IDLE = 3'd0, S_CLR = 3'd1, S_EV = 3'd3, S_UPD = 3'd4, S_EMIT = 3'd5;
    localparam [14:0] VMAX = 15'sd4095;
    localparam [14:0] VMIN = -15'sd4096;
    localparam [1023:0] WSEED = {32'h81de1bfa, 32'hc5a0a4b7, 32'h93c9de65, 32'h47658bd9, 32'h69bba7e3, 32'hc558fc49, 32'h9b84a8a1, 32'hcb79d456, 32'h963b66f3, 32'haf2510ff, 32'h1423ecae, 32'h2caa6061, 32'he0f2d733, 32'h015a66d8, 32'h38cf4ab7, 32'hdb529660, 32'h6c8a1562, 32'ha6b192d1, 32'h845b4a36, 32'h72a623fb, 32'hded69e7c, 32'h647664ad, 32'hbbae4516, 32'h267d77ed, 32'ha7715ffe, 32'h6e98542c, 32'h64b4d3c0, 32'h0fd13675, 32'h60b62518, 32'h0adf6008, 32'hd20ddc15, 32'h0036e76e};

    reg [2:0] state;
    reg [0:0] f;             // pass
    reg [8:0] row_base;      // f * M
    reg [5:0] vbase;         // f * Ho * Wo: the pass's membrane rows
    reg [9:0] fbase;         // f * P * Hp * Wp: output index of lane 0 of the pass
    wire last_pass = f == 1'd0;
    wire in_ev = state == S_EV;

    // ---- input event list, written by the previous stage while this layer is idle ----
    reg [11:0] wr_ptr;
    reg [11:0] n_ev;
    reg [11:0] e;
    reg [11:0] evmem [0:2303];
    always @(posedge clk) begin
        if (rst || seed_load || (state == S_IDLE && step_start)) wr_ptr <= 12'd0;
        else if (ev_we) wr_ptr <= wr_ptr + 1'b1;
        if (ev_we) evmem[wr_ptr[11:0]] <= ev_idx;
    end

    // ---- event decomposition: a stalling pipeline (hold while its last stage waits for the sequencer) ----
    // (with one input channel, or without input values, some of its signals are constant: lint waived here)
    /* verilator lint_off UNUSEDSIGNAL */
    wire hold;
    reg  [11:0] ev_q;
    always @(posedge clk) if (!hold) ev_q <= evmem[e[11:0]];
    wire [11:0] ev_q_idx = ev_q;
    wire [0:0] ev_q_val = 1'b1;
    // restoring divisions by constants, two quotient bits per stage; c*kh*kw and qy*Wo as sums of constants
    reg  v0, v1, v2, v3, v4, v5, v6;
    reg  [0:0] d1_val;
    reg  [0:0] d1_dc_g3;
    reg  [0:0] d1_dc_g2;
    reg  [11:0] d1_dc_r;
    reg  [0:0] d2_val;
    reg  [0:0] d2_dc_g3;
    reg  [0:0] d2_dc_g2;
    reg  [0:0] d2_dc_g1;
    reg  [0:0] d2_dc_g0;
    reg  [11:0] d2_dc_r;
    reg  [0:0] d3_val;
    reg  [3:0] d3_c;
    reg  [0:0] d3_dy_g3;
    reg  [0:0] d3_dy_g2;
    reg  [7:0] d3_dy_r;
    reg  [0:0] d4_val;
    reg  [3:0] d4_c;
    reg  [0:0] d4_dy_g3;
    reg  [0:0] d4_dy_g2;
    reg  [0:0] d4_dy_g1;
    reg  [0:0] d4_dy_g0;
    reg  [7:0] d4_dy_r;
    reg  [0:0] d5_val;
    reg  [3:0] d5_yy;
    reg  [3:0] d5_xx;
    reg  [8:0] d5_ck;
    reg  [0:0] d6_val;
    reg  [8:0] d6_ck;
    reg  [3:0] d6_qy;
    reg  [3:0] d6_qx;
    reg  [7:0] d6_prow;
    wire [12:0] w1_dc_t3 = {1'b0, ev_q_idx} - 13'd1152;
    wire [0:0] w1_dc_g3 = ~w1_dc_t3[12];
    wire [11:0] w1_dc_r3 = w1_dc_g3 ? w1_dc_t3[11:0] : ev_q_idx;
    wire [12:0] w1_dc_t2 = {1'b0, w1_dc_r3} - 13'd576;
    wire [0:0] w1_dc_g2 = ~w1_dc_t2[12];
    wire [11:0] w1_dc_r2 = w1_dc_g2 ? w1_dc_t2[11:0] : w1_dc_r3;
    wire [12:0] w2_dc_t1 = {1'b0, d1_dc_r} - 13'd288;
    wire [0:0] w2_dc_g1 = ~w2_dc_t1[12];
    wire [11:0] w2_dc_r1 = w2_dc_g1 ? w2_dc_t1[11:0] : d1_dc_r;
    wire [12:0] w2_dc_t0 = {1'b0, w2_dc_r1} - 13'd144;
    wire [0:0] w2_dc_g0 = ~w2_dc_t0[12];
    wire [11:0] w2_dc_r0 = w2_dc_g0 ? w2_dc_t0[11:0] : w2_dc_r1;
    wire [3:0] a1_dc_q = {d2_dc_g3, d2_dc_g2, d2_dc_g1, d2_dc_g0};
    wire [7:0] a2_pin = d2_dc_r[7:0];
    wire [8:0] w3_dy_t3 = {1'b0, a2_pin} - 9'd96;
    wire [0:0] w3_dy_g3 = ~w3_dy_t3[8];
    wire [7:0] w3_dy_r3 = w3_dy_g3 ? w3_dy_t3[7:0] : a2_pin;
    wire [8:0] w3_dy_t2 = {1'b0, w3_dy_r3} - 9'd48;
    wire [0:0] w3_dy_g2 = ~w3_dy_t2[8];
    wire [7:0] w3_dy_r2 = w3_dy_g2 ? w3_dy_t2[7:0] : w3_dy_r3;
    wire [8:0] w4_dy_t1 = {1'b0, d3_dy_r} - 9'd24;
    wire [0:0] w4_dy_g1 = ~w4_dy_t1[8];
    wire [7:0] w4_dy_r1 = w4_dy_g1 ? w4_dy_t1[7:0] : d3_dy_r;
    wire [8:0] w4_dy_t0 = {1'b0, w4_dy_r1} - 9'd12;
    wire [0:0] w4_dy_g0 = ~w4_dy_t0[8];
    wire [7:0] w4_dy_r0 = w4_dy_g0 ? w4_dy_t0[7:0] : w4_dy_r1;
    wire [3:0] a3_dy_q = {d4_dy_g3, d4_dy_g2, d4_dy_g1, d4_dy_g0};
    wire [3:0] a4_dy_rem = d4_dy_r[3:0];
    always @(posedge clk) begin
        if (rst || !in_ev) begin
            v0 <= 1'b0;
            v1 <= 1'b0;
            v2 <= 1'b0;
            v3 <= 1'b0;
            v4 <= 1'b0;
            v5 <= 1'b0;
            v6 <= 1'b0;
        end else if (!hold) begin
            v0 <= e != n_ev;
            v1 <= v0;
            v2 <= v1;
            v3 <= v2;
            v4 <= v3;
            v5 <= v4;
            v6 <= v5;
        end
        if (!hold) begin
            d1_val <= ev_q_val;
            d1_dc_g3 <= w1_dc_g3;
            d1_dc_g2 <= w1_dc_g2;
            d1_dc_r <= w1_dc_r2;
            d2_val <= d1_val;
            d2_dc_g3 <= d1_dc_g3;
            d2_dc_g2 <= d1_dc_g2;
            d2_dc_g1 <= w2_dc_g1;
            d2_dc_g0 <= w2_dc_g0;
            d2_dc_r <= w2_dc_r0;
            d3_val <= d2_val;
            d3_c <= a1_dc_q;
            d3_dy_g3 <= w3_dy_g3;
            d3_dy_g2 <= w3_dy_g2;
            d3_dy_r <= w3_dy_r2;
            d4_val <= d3_val;
            d4_c <= d3_c;
            d4_dy_g3 <= d3_dy_g3;
            d4_dy_g2 <= d3_dy_g2;
            d4_dy_g1 <= w4_dy_g1;
            d4_dy_g0 <= w4_dy_g0;
            d4_dy_r <= w4_dy_r0;
            d5_val <= d4_val;
            d5_yy <= a3_dy_q + 4'd0;
            d5_xx <= a4_dy_rem + 4'd0;
            d5_ck <= ({9{d4_c[0]}} & 9'd25) + ({9{d4_c[1]}} & 9'd50) + ({9{d4_c[2]}} & 9'd100) + ({9{d4_c[3]}} & 9'd200);
            d6_val <= d5_val;
            d6_ck <= d5_ck;
            d6_qy <= d5_yy;
            d6_qx <= d5_xx;
            d6_prow <= ({8{d5_yy[0]}} & 8'd8) + ({8{d5_yy[1]}} & 8'd16) + ({8{d5_yy[2]}} & 8'd32) + ({8{d5_yy[3]}} & 8'd64);
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
    reg [8:0] srow;
    reg [0:0] sval;
    wire last_off = ky == 3'd4 && kx == 3'd4;
    wire load = v6 && (!run || last_off);
    assign hold = v6 && !load;
    always @(posedge clk) begin
        if (rst || !in_ev) run <= 1'b0;
        else if (load) run <= 1'b1;
        else if (run && last_off) run <= 1'b0;
        if (load) begin
            ky   <= 3'd0;
            kx   <= 3'd0;
            cy   <= {1'd0, d6_qy};
            ry   <= 1'd0;
            cx   <= {1'd0, d6_qx};
            rx   <= 1'd0;
            qx0  <= d6_qx;
            rx0  <= 1'd0;
            prow <= d6_prow;
            srow <= row_base + d6_ck;
            sval <= d6_val;
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
    reg [0:0] a1_val;
    /* verilator lint_off UNUSEDSIGNAL */
    reg [0:0] a2_val;   // unused without input values (x = 1)
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
    (* rom_style = "block" *) reg [127:0] probmem [0:399];
    initial $readmemh("mnist_conv_layer1_prob.mem", probmem);
    wire [8:0] prob_addr = srow;
    reg  [127:0] prob_q;
    always @(posedge clk) prob_q <= probmem[prob_addr];
    wire [31:0] wbit;
    wire w_adv = a1_v;    // every offset draws, valid or not (semantics §4.1)
    wire [31:0] wsel = wbit;

    // ---- accumulators: one row of P per output position; membranes: one row of P per (pass, position) ----
    (* ram_style = "block" *) reg [319:0] accmem [0:63];
    (* ram_style = "block" *) reg [415:0] vmem [0:63];
    reg [31:0] spkmem [0:63];
    reg  [319:0] acc_rd;
    reg  [319:0] fwd_row;   // the row written last cycle, for a read of the same position
    reg                    fwd;
    wire [319:0] acc_new;
    wire [319:0] acc_old = fwd ? fwd_row : acc_rd;
    reg  [31:0] w_q;

    // update scan
    reg  [5:0] up;          // position issued
    reg  [5:0] vaddr;        // vbase + up
    reg  up_v, u1_v, u2_v, u3_v;
    reg  [5:0] u1_p, u2_p, u3_p;
    reg  [5:0] u1_a, u2_a, u3_a;
    reg  [415:0] vrow_q;
    wire [415:0] vnew;
    wire [31:0] spk;
    reg  [31:0] spk_q;
    // sample start: clear every membrane row (and the accumulators)
    reg  [5:0] clr;

    wire [5:0] acc_raddr = (state == S_UPD) ? up : a1_pos;
    always @(posedge clk) begin
        acc_rd  <= accmem[acc_raddr];
        w_q     <= wsel;
        fwd     <= a1_v && a2_w && a1_pos == a2_pos;
        fwd_row <= acc_new;
        if (state == S_CLR) begin
            accmem[clr[5:0]] <= 320'd0;
        end else if (a2_w) accmem[a2_pos] <= acc_new;
        else if (u1_v) accmem[u1_p] <= 320'd0;
    end
    always @(posedge clk) begin
        vrow_q <= vmem[vaddr];
        if (state == S_CLR) vmem[clr] <= 416'd0;
        else if (u3_v) vmem[u3_a] <= vnew;
        if (u3_v) spkmem[u3_p] <= spk_q;
    end

    // ---- thresholds and biases (read-only rows of P, by pass) ----
    reg  [415:0] thrmem [0:0];
    reg  [415:0] biasmem [0:0];
    initial $readmemh("mnist_conv_layer1_thr.mem", thrmem);
    initial $readmemh("mnist_conv_layer1_bias.mem", biasmem);
    wire [415:0] throw_ = thrmem[f];
    wire [415:0] brow = biasmem[f];

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
        for (j = 0; j < 32; j = j + 1) begin : g_lane
            // weight draw: +1 iff r < q, or q is the all-ones code
            wire [3:0] r_seed;
            reg  w_lock;   // seed_rt == this lane's seed(id)
            always @(posedge clk) w_lock <= seed_rt == WSEED[32*j +: 32];
            wire [3:0] r = r_seed ^ (w_rt & {4{~w_lock}});
            wire [3:0] q = prob_q[4*j +: 4];
            mnist_conv_lfsr_k4 #(.SEED(WSEED[32*j +: 32])) u_wrng (.clk(clk), .load(rst | seed_load), .adv(w_adv), .r(r_seed));
            assign wbit[j] = (r < q) | (&q);

            // accumulate at the offset's position: acc +/- x
            wire signed [9:0] acc_o = acc_old[10*j +: 10];
            wire signed [9:0] xv = 10'sd1;
            assign acc_new[10*j +: 10] = w_q[j] ? acc_o + xv : acc_o - xv;

            // neuron update in three stages: U1 leak + integrate (and draw noise), U2 saturate + compare,
            // U3 reset + write back
            wire [12:0] v = vrow_q[13*j +: 13];
            wire [9:0] acc_b = acc_rd[10*j +: 10];
            wire [12:0] thr_b = throw_[13*j +: 13];
            wire [12:0] bias_b = brow[13*j +: 13];
            wire signed [14:0] vw = {{2{v[12]}}, v};
            wire signed [14:0] thr = {{2{thr_b[12]}}, thr_b};
            wire signed [14:0] bias = {{2{bias_b[12]}}, bias_b};
            wire signed [14:0] accw = {{5{acc_b[9]}}, acc_b};
            wire signed [14:0] leaked = vw;
            wire signed [14:0] sum = leaked + accw + bias;
            reg  signed [14:0] sum_q;
            always @(posedge clk) if (u1_v) sum_q <= sum;
            wire sat_hi = sum_q > $signed(VMAX);
            wire sat_lo = sum_q < $signed(VMIN);
            wire signed [14:0] vsat = sat_hi ? $signed(VMAX) : sat_lo ? $signed(VMIN) : sum_q;
            wire signed [14:0] thr_eff = thr;
            wire lane_real = !last_pass || (j < 32);
            wire ge_sum = sum_q >= thr_eff;
            wire ge_max = $signed(VMAX) >= thr_eff;
            wire ge_min = $signed(VMIN) >= thr_eff;
            assign spk[j] = lane_real && (sat_hi ? ge_max : sat_lo ? ge_min : ge_sum);
            /* verilator lint_off UNUSEDSIGNAL */
            wire signed [14:0] vsat_keep = vsat;
            /* verilator lint_on UNUSEDSIGNAL */
            reg  [12:0] vsat_q;
            always @(posedge clk) if (u2_v) vsat_q <= vsat_keep[12:0];
            wire signed [14:0] vsat_w = {{2{vsat_q[12]}}, vsat_q};
            wire signed [14:0] vsub = vsat_w - thr;
            wire signed [14:0] vres = (vsub < $signed(VMIN)) ? $signed(VMIN) : vsub;
            /* verilator lint_off UNUSEDSIGNAL */
            wire signed [14:0] vnext = spk_q[j] ? vres : vsat_w;
            /* verilator lint_on UNUSEDSIGNAL */
            assign vnew[13*j +: 13] = vnext[12:0];
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
    reg  [31:0] sd_row;
    reg  [31:0] cnt;
    wire [31:0] fin;      // the window's counts with this cycle's row
    wire [31:0] fin_any;
    reg  [31:0] em_q;          // lanes of the latched window still to leave
    reg  [9:0] em_base;      // fbase + window index
    genvar jj;
    generate
        for (jj = 0; jj < 32; jj = jj + 1) begin : g_pool
            wire [0:0] prev = sd_first ? 1'd0 : cnt[1*jj +: 1];
            assign fin[1*jj +: 1] = prev | sd_row[jj];
            assign fin_any[jj] = fin[1*jj +: 1] != 1'd0;
        end
    endgenerate
    wire latch = sd_v && sd_last;
    // em_one: em_q has exactly one lane left, kept in a register beside em_q (a combinational one-hot test of
    // em_q was a P-bit carry chain in front of the scan's control: the critical path at 32 lanes)
    reg  em_one;
    wire [31:0] em_rest = em_q & (em_q - 1'b1);
    wire fin_one = fin_any != 32'd0 && (fin_any & (fin_any - 1'b1)) == 32'd0;
    wire rest_one = em_rest != 32'd0 && (em_rest & (em_rest - 1'b1)) == 32'd0;
    // The next window (or the end of the pass) may start once the latched window has at most its last lane
    // left to send: at its latch if no lane spiked, else in the cycle its last lane leaves.
    wire win_free = sd_v ? (sd_last && fin_any == 32'd0) : (em_q == 32'd0 || em_one);
    wire last_row = rcnt == 2'd3;
    wire windows_done = wq == 5'd16;
    wire next_ok = state == S_EMIT && !iss && (!em_go || win_free);
    wire issue = iss || (next_ok && !windows_done);   // a spike row of the window is read this cycle

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
    function [9:0] lane_off(input [4:0] lj);
        begin
            case (lj)
                5'd0: lane_off = 10'd0;
                5'd1: lane_off = 10'd16;
                5'd2: lane_off = 10'd32;
                5'd3: lane_off = 10'd48;
                5'd4: lane_off = 10'd64;
                5'd5: lane_off = 10'd80;
                5'd6: lane_off = 10'd96;
                5'd7: lane_off = 10'd112;
                5'd8: lane_off = 10'd128;
                5'd9: lane_off = 10'd144;
                5'd10: lane_off = 10'd160;
                5'd11: lane_off = 10'd176;
                5'd12: lane_off = 10'd192;
                5'd13: lane_off = 10'd208;
                5'd14: lane_off = 10'd224;
                5'd15: lane_off = 10'd240;
                5'd16: lane_off = 10'd256;
                5'd17: lane_off = 10'd272;
                5'd18: lane_off = 10'd288;
                5'd19: lane_off = 10'd304;
                5'd20: lane_off = 10'd320;
                5'd21: lane_off = 10'd336;
                5'd22: lane_off = 10'd352;
                5'd23: lane_off = 10'd368;
                5'd24: lane_off = 10'd384;
                5'd25: lane_off = 10'd400;
                5'd26: lane_off = 10'd416;
                5'd27: lane_off = 10'd432;
                5'd28: lane_off = 10'd448;
                5'd29: lane_off = 10'd464;
                5'd30: lane_off = 10'd480;
                5'd31: lane_off = 10'd496;
                default: lane_off = 10'd0;
            endcase
        end
    endfunction
    /* verilator lint_off UNUSEDSIGNAL */
    wire [9:0] emit_idx = em_base + lane_off(lo_idx);
    /* verilator lint_on UNUSEDSIGNAL */

    always @(posedge clk) begin
        sd_row   <= spkmem[sa];
        sd_v     <= issue;
        sd_first <= rcnt == 2'd0;
        sd_last  <= last_row;
        sd_q     <= wq;
        if (sd_v) cnt <= fin;
        if (rst) begin
            em_q   <= 32'd0;
            em_one <= 1'b0;
            sd_v   <= 1'b0;
        end else if (latch) begin
            em_q    <= fin_any;
            em_one  <= fin_one;
            em_base <= fbase + {5'd0, sd_q};
        end else if (em_q != 32'd0) begin
            em_q   <= em_rest;
            em_one <= rest_one;
        end
    end

    // ---- control ----
    wire ev_done = e == n_ev && !v0 && !v1 && !v2 && !v3 && !v4 && !v5 && !v6 && !run && !a1_v;
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
                    row_base <= 9'd0;
                    vbase    <= 6'd0;
                    fbase    <= 10'd0;
                    e        <= 12'd0;
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
            if (em_q != 32'd0) begin
                out_valid <= 1'b1;
                out_idx   <= emit_idx[8:0];
            end
        end
    end
endmodule
