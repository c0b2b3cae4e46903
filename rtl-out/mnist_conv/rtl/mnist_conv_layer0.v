`timescale 1ns / 1ps
// mnist_conv_layer0: layer 0, conv2d 1x28x28 -> 32x24x24, kernel 5x5, stride 1x1,
// padding 0x0, sum pool 2x2; 32 channels on 32 lanes in 1 passes, 4-bit Bernoulli probabilities,
// time-ensemble sampling. Arithmetic: docs/semantics.md §4.1; the engine and its timing: docs/engine.md, semantics §7.
//
// A timestep, per pass f:
//   S_EV    every input event goes through a 6-stage decomposition (list read; c; y, x; the stride;
//           the row of the position), then its kh*kw offsets leave one per cycle: the probability row f*M + c*kh*kw + o is
//           read, every lane draws (valid offset or not), and the lanes' accumulators at the output position
//           are read, added to and written back (one-deep forwarding for back-to-back hits on one position).
//   S_UPD   the Ho*Wo positions are scanned, one per cycle, P lanes at once: the neuron update of dense.v.hbs
//           (integrate; saturate and compare; reset and write back); the accumulators are cleared as read.
//   S_EMIT  the pool windows are scanned in row-major order (qh*qw spike rows each); a window's spiking lanes
//           leave one per cycle, lowest lane first, before the next window is read.
module mnist_conv_layer0 (
    input  wire              clk,
    input  wire              rst,
    input  wire              seed_load,     // re-seed every stream (start of an inference)
    input  wire [31:0]       seed_rt,       // runtime seed, valid from the cycle before seed_load on (docs/semantics.md §1.2)
    input  wire              sample_start,  // clear membranes
    input  wire              step_start,    // one timestep over the events written since the last step
    output reg               busy,
    input  wire              ev_we,
    input  wire [9:0] ev_idx,        // flat CHW index of an input event
    input  wire [7:0] ev_val,
    output reg               out_valid,
    output reg  [12:0] out_idx,
    output reg  [3:0] out_val        // spikes in the window (a sum pool)
);
    localparam [2:0] S_IDLE = 3'd0, S_CLR = 3'd1, S_EV = 3'd3, S_UPD = 3'd4, S_EMIT = 3'd5;
    localparam [18:0] VMAX = 19'sd65535;
    localparam [18:0] VMIN = -19'sd65536;
    localparam [1023:0] WSEED = {32'hb6ee3959, 32'hbcd30c53, 32'h330adae2, 32'h562f13ca, 32'heab614e8, 32'h5fa22f5f, 32'h3cf7da1e, 32'h7b689a98, 32'h3639104d, 32'hb32a6ab7, 32'h7237aed7, 32'h2b652d94, 32'hb5e3ff0c, 32'h086493f3, 32'h6eb2bd6a, 32'h81e626f8, 32'he26ca0f3, 32'hc8ca8517, 32'h39204175, 32'h7a4018e2, 32'h51dafef3, 32'he37ca383, 32'h872eda39, 32'h54bd5896, 32'h01509035, 32'h6d43f61c, 32'h042c8c0f, 32'h423b7bc0, 32'h6d919eee, 32'he9fbe982, 32'ha24807ee, 32'h4a1d12c6};

    reg [2:0] state;
    reg [0:0] f;             // pass
    reg [4:0] row_base;      // f * M
    reg [9:0] vbase;         // f * Ho * Wo: the pass's membrane rows
    reg [12:0] fbase;         // f * P * Hp * Wp: output index of lane 0 of the pass
    wire last_pass = f == 1'd0;
    wire in_ev = state == S_EV;

    // ---- input event list, written by the previous stage while this layer is idle ----
    reg [9:0] wr_ptr;
    reg [9:0] n_ev;
    reg [9:0] e;
    reg [17:0] evmem [0:783];
    always @(posedge clk) begin
        // direct input: the list is written once per inference and replayed every timestep
        if (rst || seed_load) wr_ptr <= 10'd0;
        else if (ev_we) wr_ptr <= wr_ptr + 1'b1;
        if (ev_we) evmem[wr_ptr[9:0]] <= {ev_idx, ev_val};
    end

    // ---- event decomposition: a stalling pipeline (hold while its last stage waits for the sequencer) ----
    // (with one input channel, or without input values, some of its signals are constant: lint waived here)
    /* verilator lint_off UNUSEDSIGNAL */
    wire hold;
    reg  [17:0] ev_q;
    always @(posedge clk) if (!hold) ev_q <= evmem[e[9:0]];
    wire [9:0] ev_q_idx = ev_q[17:8];
    wire [7:0] ev_q_val = ev_q[7:0];
    // restoring divisions by constants, two quotient bits per stage; c*kh*kw and qy*Wo as sums of constants
    reg  v0, v1, v2, v3, v4, v5;
    reg  [7:0] d1_val;
    reg  [0:0] d1_dy_g4;
    reg  [9:0] d1_dy_r;
    reg  [7:0] d2_val;
    reg  [0:0] d2_dy_g4;
    reg  [0:0] d2_dy_g3;
    reg  [0:0] d2_dy_g2;
    reg  [9:0] d2_dy_r;
    reg  [7:0] d3_val;
    reg  [0:0] d3_dy_g4;
    reg  [0:0] d3_dy_g3;
    reg  [0:0] d3_dy_g2;
    reg  [0:0] d3_dy_g1;
    reg  [0:0] d3_dy_g0;
    reg  [9:0] d3_dy_r;
    reg  [7:0] d4_val;
    reg  [4:0] d4_yy;
    reg  [4:0] d4_xx;
    reg  [7:0] d5_val;
    reg  [4:0] d5_qy;
    reg  [4:0] d5_qx;
    reg  [10:0] d5_prow;
    wire [10:0] w1_dy_t4 = {1'b0, ev_q_idx} - 11'd448;
    wire [0:0] w1_dy_g4 = ~w1_dy_t4[10];
    wire [9:0] w1_dy_r4 = w1_dy_g4 ? w1_dy_t4[9:0] : ev_q_idx;
    wire [10:0] w2_dy_t3 = {1'b0, d1_dy_r} - 11'd224;
    wire [0:0] w2_dy_g3 = ~w2_dy_t3[10];
    wire [9:0] w2_dy_r3 = w2_dy_g3 ? w2_dy_t3[9:0] : d1_dy_r;
    wire [10:0] w2_dy_t2 = {1'b0, w2_dy_r3} - 11'd112;
    wire [0:0] w2_dy_g2 = ~w2_dy_t2[10];
    wire [9:0] w2_dy_r2 = w2_dy_g2 ? w2_dy_t2[9:0] : w2_dy_r3;
    wire [10:0] w3_dy_t1 = {1'b0, d2_dy_r} - 11'd56;
    wire [0:0] w3_dy_g1 = ~w3_dy_t1[10];
    wire [9:0] w3_dy_r1 = w3_dy_g1 ? w3_dy_t1[9:0] : d2_dy_r;
    wire [10:0] w3_dy_t0 = {1'b0, w3_dy_r1} - 11'd28;
    wire [0:0] w3_dy_g0 = ~w3_dy_t0[10];
    wire [9:0] w3_dy_r0 = w3_dy_g0 ? w3_dy_t0[9:0] : w3_dy_r1;
    wire [4:0] a1_dy_q = {d3_dy_g4, d3_dy_g3, d3_dy_g2, d3_dy_g1, d3_dy_g0};
    wire [4:0] a2_dy_rem = d3_dy_r[4:0];
    always @(posedge clk) begin
        if (rst || !in_ev) begin
            v0 <= 1'b0;
            v1 <= 1'b0;
            v2 <= 1'b0;
            v3 <= 1'b0;
            v4 <= 1'b0;
            v5 <= 1'b0;
        end else if (!hold) begin
            v0 <= e != n_ev;
            v1 <= v0;
            v2 <= v1;
            v3 <= v2;
            v4 <= v3;
            v5 <= v4;
        end
        if (!hold) begin
            d1_val <= ev_q_val;
            d1_dy_g4 <= w1_dy_g4;
            d1_dy_r <= w1_dy_r4;
            d2_val <= d1_val;
            d2_dy_g4 <= d1_dy_g4;
            d2_dy_g3 <= w2_dy_g3;
            d2_dy_g2 <= w2_dy_g2;
            d2_dy_r <= w2_dy_r2;
            d3_val <= d2_val;
            d3_dy_g4 <= d2_dy_g4;
            d3_dy_g3 <= d2_dy_g3;
            d3_dy_g2 <= d2_dy_g2;
            d3_dy_g1 <= w3_dy_g1;
            d3_dy_g0 <= w3_dy_g0;
            d3_dy_r <= w3_dy_r0;
            d4_val <= d3_val;
            d4_yy <= a1_dy_q + 5'd0;
            d4_xx <= a2_dy_rem + 5'd0;
            d5_val <= d4_val;
            d5_qy <= d4_yy;
            d5_qx <= d4_xx;
            d5_prow <= ({11{d4_yy[0]}} & 11'd24) + ({11{d4_yy[1]}} & 11'd48) + ({11{d4_yy[2]}} & 11'd96) + ({11{d4_yy[3]}} & 11'd192) + ({11{d4_yy[4]}} & 11'd384);
        end
    end
    /* verilator lint_on UNUSEDSIGNAL */

    // ---- the offset sequencer: the event's kh*kw offsets, one per cycle, row-major ----
    // (cy, ry) and (cx, rx): y + ph - ky and x + pw - kx as stride * c + r; prow = cy * Wo.
    reg run;
    reg [2:0] ky;
    reg [2:0] kx;
    reg signed [5:0] cy;
    reg signed [5:0] cx;
    reg [0:0] ry;
    reg [0:0] rx;
    reg [4:0] qx0;
    reg [0:0] rx0;
    reg signed [10:0] prow;
    reg [4:0] srow;
    reg [7:0] sval;
    wire last_off = ky == 3'd4 && kx == 3'd4;
    wire load = v5 && (!run || last_off);
    assign hold = v5 && !load;
    always @(posedge clk) begin
        if (rst || !in_ev) run <= 1'b0;
        else if (load) run <= 1'b1;
        else if (run && last_off) run <= 1'b0;
        if (load) begin
            ky   <= 3'd0;
            kx   <= 3'd0;
            cy   <= {1'd0, d5_qy};
            ry   <= 1'd0;
            cx   <= {1'd0, d5_qx};
            rx   <= 1'd0;
            qx0  <= d5_qx;
            rx0  <= 1'd0;
            prow <= d5_prow;
            srow <= row_base + {4'd0, 1'd0};
            sval <= d5_val;
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
                    prow <= prow - 11'sd24;
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
    wire pos_ok = ry == 1'd0 && rx == 1'd0 && cy >= 0 && cx >= 0 && cy < 6'sd24 && cx < 6'sd24;
    /* verilator lint_off UNUSEDSIGNAL */
    wire signed [10:0] pos_full = prow + {{5{cx[5]}}, cx};
    /* verilator lint_on UNUSEDSIGNAL */

    // ---- stage A1 (row read), A2 (draw, accumulator read), A3 (add, write back) ----
    reg a1_v, a1_ok, a2_w;
    reg [9:0] a1_pos, a2_pos;
    reg [7:0] a1_val;
    /* verilator lint_off UNUSEDSIGNAL */
    reg [7:0] a2_val;   // unused without input values (x = 1)
    /* verilator lint_on UNUSEDSIGNAL */
    always @(posedge clk) begin
        a1_v   <= run && in_ev;
        a1_ok  <= pos_ok;
        a1_pos <= pos_full[9:0];
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
    reg [127:0] probmem [0:24];
    initial $readmemh("mnist_conv_layer0_prob.mem", probmem);
    wire [4:0] prob_addr = srow;
    reg  [127:0] prob_q;
    always @(posedge clk) prob_q <= probmem[prob_addr];
    wire [31:0] wbit;
    wire w_adv = a1_v;    // every offset draws, valid or not (semantics §4.1)
    wire [31:0] wsel = wbit;

    // ---- accumulators: one row of P per output position; membranes: one row of P per (pass, position) ----
    (* ram_style = "block" *) reg [447:0] accmem [0:575];
    (* ram_style = "block" *) reg [543:0] vmem [0:575];
    // a position's P spikes and, above them, whether any is set (the pool scan reads it; see win_any)
    (* ram_style = "block" *) reg [32:0] spkmem [0:575];
    reg  [447:0] acc_rd;
    reg  [447:0] fwd_row;   // the row written last cycle, for a read of the same position
    reg                    fwd;
    wire [447:0] acc_new;
    wire [447:0] acc_old = fwd ? fwd_row : acc_rd;
    reg  [31:0] w_q;

    // update scan
    reg  [9:0] up;          // position issued
    reg  [9:0] vaddr;        // vbase + up
    reg  up_v, u1_v, u2_v, u3_v;
    reg  [9:0] u1_p, u2_p, u3_p;
    reg  [9:0] u1_a, u2_a, u3_a;
    reg  [543:0] vrow_q;
    wire [543:0] vnew;
    wire [31:0] spk;
    reg  [31:0] spk_q;
    // sample start: clear every membrane row (and the accumulators)
    reg  [9:0] clr;

    wire [9:0] acc_raddr = (state == S_UPD) ? up : a1_pos;
    always @(posedge clk) begin
        acc_rd  <= accmem[acc_raddr];
        w_q     <= wsel;
        fwd     <= a1_v && a2_w && a1_pos == a2_pos;
        fwd_row <= acc_new;
        if (state == S_CLR) begin
            accmem[clr[9:0]] <= 448'd0;
        end else if (a2_w) accmem[a2_pos] <= acc_new;
        else if (u1_v) accmem[u1_p] <= 448'd0;
    end
    always @(posedge clk) begin
        vrow_q <= vmem[vaddr];
        if (state == S_CLR) vmem[clr] <= 544'd0;
        else if (u3_v) vmem[u3_a] <= vnew;
        if (u3_v) spkmem[u3_p] <= {spk_q != 32'd0, spk_q};
    end

    // ---- thresholds and biases (read-only rows of P, by pass) ----
    reg  [543:0] thrmem [0:0];
    reg  [543:0] biasmem [0:0];
    initial $readmemh("mnist_conv_layer0_thr.mem", thrmem);
    initial $readmemh("mnist_conv_layer0_bias.mem", biasmem);
    wire [543:0] throw_ = thrmem[f];
    wire [543:0] brow = biasmem[f];

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
            wire signed [13:0] acc_o = acc_old[14*j +: 14];
            wire signed [13:0] xv = $signed({6'd0, a2_val});
            assign acc_new[14*j +: 14] = w_q[j] ? acc_o + xv : acc_o - xv;

            // neuron update in three stages: U1 leak + integrate (and draw noise), U2 saturate + compare,
            // U3 reset + write back
            wire [16:0] v = vrow_q[17*j +: 17];
            wire [13:0] acc_b = acc_rd[14*j +: 14];
            wire [16:0] thr_b = throw_[17*j +: 17];
            wire [16:0] bias_b = brow[17*j +: 17];
            wire signed [18:0] vw = {{2{v[16]}}, v};
            wire signed [18:0] thr = {{2{thr_b[16]}}, thr_b};
            wire signed [18:0] bias = {{2{bias_b[16]}}, bias_b};
            wire signed [18:0] accw = {{5{acc_b[13]}}, acc_b};
            wire signed [18:0] leaked = vw;
            wire signed [18:0] sum = leaked + accw + bias;
            reg  signed [18:0] sum_q;
            always @(posedge clk) if (u1_v) sum_q <= sum;
            wire sat_hi = sum_q > $signed(VMAX);
            wire sat_lo = sum_q < $signed(VMIN);
            wire signed [18:0] vsat = sat_hi ? $signed(VMAX) : sat_lo ? $signed(VMIN) : sum_q;
            wire signed [18:0] thr_eff = thr;
            wire lane_real = !last_pass || (j < 32);
            wire ge_sum = sum_q >= thr_eff;
            wire ge_max = $signed(VMAX) >= thr_eff;
            wire ge_min = $signed(VMIN) >= thr_eff;
            assign spk[j] = lane_real && (sat_hi ? ge_max : sat_lo ? ge_min : ge_sum);
            /* verilator lint_off UNUSEDSIGNAL */
            wire signed [18:0] vsat_keep = vsat;
            /* verilator lint_on UNUSEDSIGNAL */
            reg  [16:0] vsat_q;
            always @(posedge clk) if (u2_v) vsat_q <= vsat_keep[16:0];
            wire signed [18:0] vsat_w = {{2{vsat_q[16]}}, vsat_q};
            wire signed [18:0] vsub = vsat_w - thr;
            wire signed [18:0] vres = (vsub < $signed(VMIN)) ? $signed(VMIN) : vsub;
            /* verilator lint_off UNUSEDSIGNAL */
            wire signed [18:0] vnext = spk_q[j] ? vres : vsat_w;
            /* verilator lint_on UNUSEDSIGNAL */
            assign vnew[17*j +: 17] = vnext[16:0];
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
    reg  [9:0] sa;          // spike row read
    reg  [9:0] wstart;      // first row of the window
    reg  [9:0] rstart;      // first row of the window's current row
    reg  [9:0] pstart;      // first row of the current pooled row
    reg  [1:0] rcnt;         // row of the window being read
    reg  [7:0] wq;            // window being read
    reg  [7:0] wpx;           // its pooled column
    reg  iss;                        // reading the rows after the first of a window
    reg  [0:0] dx;           // column in the window
    reg  em_go;                      // the scan of this pass has started
    reg  sd_v, sd_first, sd_last;
    reg  [7:0] sd_q;
    reg  [32:0] sd_row;
    reg  cnt_any;                    // a count of the window so far is nonzero
    reg  [95:0] cnt;
    wire [95:0] fin;      // the window's counts with this cycle's row
    wire [31:0] fin_any;
    reg  [31:0] em_q;          // lanes of the latched window still to leave
    reg  [95:0] em_cnt;
    reg  [12:0] em_base;      // fbase + window index
    genvar jj;
    generate
        for (jj = 0; jj < 32; jj = jj + 1) begin : g_pool
            wire [2:0] prev = sd_first ? 3'd0 : cnt[3*jj +: 3];
            assign fin[3*jj +: 3] = prev + {2'd0, sd_row[jj]};
            assign fin_any[jj] = prev != 3'd0 || sd_row[jj];
        end
    endgenerate
    wire latch = sd_v && sd_last;
    // em_one: em_q has exactly one lane left, kept in a register beside em_q (a combinational one-hot test of
    // em_q was a P-bit carry chain in front of the scan's control: the critical path at 32 lanes)
    reg  em_one;
    wire [31:0] em_rest = em_q & (em_q - 1'b1);
    /* verilator lint_off UNUSEDSIGNAL */
    wire [31:0] fin_one_a0 = fin_any;
    wire [15:0] fin_one_a1, fin_one_o1;
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
    wire [7:0] fin_one_a2, fin_one_o2;
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
    wire [3:0] fin_one_a3, fin_one_o3;
    assign fin_one_a3[0] = fin_one_a2[0] | fin_one_a2[1];
    assign fin_one_o3[0] = (fin_one_o2[0] & ~fin_one_a2[1]) | (~fin_one_a2[0] & fin_one_o2[1]);
    assign fin_one_a3[1] = fin_one_a2[2] | fin_one_a2[3];
    assign fin_one_o3[1] = (fin_one_o2[2] & ~fin_one_a2[3]) | (~fin_one_a2[2] & fin_one_o2[3]);
    assign fin_one_a3[2] = fin_one_a2[4] | fin_one_a2[5];
    assign fin_one_o3[2] = (fin_one_o2[4] & ~fin_one_a2[5]) | (~fin_one_a2[4] & fin_one_o2[5]);
    assign fin_one_a3[3] = fin_one_a2[6] | fin_one_a2[7];
    assign fin_one_o3[3] = (fin_one_o2[6] & ~fin_one_a2[7]) | (~fin_one_a2[6] & fin_one_o2[7]);
    wire [1:0] fin_one_a4, fin_one_o4;
    assign fin_one_a4[0] = fin_one_a3[0] | fin_one_a3[1];
    assign fin_one_o4[0] = (fin_one_o3[0] & ~fin_one_a3[1]) | (~fin_one_a3[0] & fin_one_o3[1]);
    assign fin_one_a4[1] = fin_one_a3[2] | fin_one_a3[3];
    assign fin_one_o4[1] = (fin_one_o3[2] & ~fin_one_a3[3]) | (~fin_one_a3[2] & fin_one_o3[3]);
    wire [0:0] fin_one_a5, fin_one_o5;
    assign fin_one_a5[0] = fin_one_a4[0] | fin_one_a4[1];
    assign fin_one_o5[0] = (fin_one_o4[0] & ~fin_one_a4[1]) | (~fin_one_a4[0] & fin_one_o4[1]);
    wire fin_one = fin_one_o5[0];
    /* verilator lint_on UNUSEDSIGNAL */
    /* verilator lint_off UNUSEDSIGNAL */
    wire [31:0] rest_one_a0 = em_q;
    wire [15:0] rest_one_a1, rest_one_o1, rest_one_t1;
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
    wire [7:0] rest_one_a2, rest_one_o2, rest_one_t2;
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
    wire [3:0] rest_one_a3, rest_one_o3, rest_one_t3;
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
    wire [1:0] rest_one_a4, rest_one_o4, rest_one_t4;
    assign rest_one_a4[0] = rest_one_a3[0] | rest_one_a3[1];
    assign rest_one_o4[0] = (rest_one_o3[0] & ~rest_one_a3[1]) | (~rest_one_a3[0] & rest_one_o3[1]);
    assign rest_one_t4[0] = (rest_one_t3[0] & ~rest_one_a3[1]) | (~rest_one_a3[0] & rest_one_t3[1]) | (rest_one_o3[0] & rest_one_o3[1]);
    assign rest_one_a4[1] = rest_one_a3[2] | rest_one_a3[3];
    assign rest_one_o4[1] = (rest_one_o3[2] & ~rest_one_a3[3]) | (~rest_one_a3[2] & rest_one_o3[3]);
    assign rest_one_t4[1] = (rest_one_t3[2] & ~rest_one_a3[3]) | (~rest_one_a3[2] & rest_one_t3[3]) | (rest_one_o3[2] & rest_one_o3[3]);
    wire [0:0] rest_one_a5, rest_one_o5, rest_one_t5;
    assign rest_one_a5[0] = rest_one_a4[0] | rest_one_a4[1];
    assign rest_one_o5[0] = (rest_one_o4[0] & ~rest_one_a4[1]) | (~rest_one_a4[0] & rest_one_o4[1]);
    assign rest_one_t5[0] = (rest_one_t4[0] & ~rest_one_a4[1]) | (~rest_one_a4[0] & rest_one_t4[1]) | (rest_one_o4[0] & rest_one_o4[1]);
    wire rest_one = rest_one_t5[0];
    /* verilator lint_on UNUSEDSIGNAL */
    // The next window (or the end of the pass) may start once the latched window has at most its last lane
    // left to send: at its latch if no lane spiked, else in the cycle its last lane leaves.
    // A lane of the window has spiked, from the row's stored any-bit: the scan's control waits on it, and a
    // P-wide test of fin_any after the block-RAM read was the critical path of a 64-lane layer.
    wire win_any = sd_row[32] || (!sd_first && cnt_any);
    wire win_free = sd_v ? (sd_last && !win_any) : (em_q == 32'd0 || em_one);
    wire last_row = rcnt == 2'd3;
    wire windows_done = wq == 8'd144;
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
    function [12:0] lane_off(input [4:0] lj);
        begin
            case (lj)
                5'd0: lane_off = 13'd0;
                5'd1: lane_off = 13'd144;
                5'd2: lane_off = 13'd288;
                5'd3: lane_off = 13'd432;
                5'd4: lane_off = 13'd576;
                5'd5: lane_off = 13'd720;
                5'd6: lane_off = 13'd864;
                5'd7: lane_off = 13'd1008;
                5'd8: lane_off = 13'd1152;
                5'd9: lane_off = 13'd1296;
                5'd10: lane_off = 13'd1440;
                5'd11: lane_off = 13'd1584;
                5'd12: lane_off = 13'd1728;
                5'd13: lane_off = 13'd1872;
                5'd14: lane_off = 13'd2016;
                5'd15: lane_off = 13'd2160;
                5'd16: lane_off = 13'd2304;
                5'd17: lane_off = 13'd2448;
                5'd18: lane_off = 13'd2592;
                5'd19: lane_off = 13'd2736;
                5'd20: lane_off = 13'd2880;
                5'd21: lane_off = 13'd3024;
                5'd22: lane_off = 13'd3168;
                5'd23: lane_off = 13'd3312;
                5'd24: lane_off = 13'd3456;
                5'd25: lane_off = 13'd3600;
                5'd26: lane_off = 13'd3744;
                5'd27: lane_off = 13'd3888;
                5'd28: lane_off = 13'd4032;
                5'd29: lane_off = 13'd4176;
                5'd30: lane_off = 13'd4320;
                5'd31: lane_off = 13'd4464;
                default: lane_off = 13'd0;
            endcase
        end
    endfunction
    wire [12:0] emit_idx = em_base + lane_off(lo_idx);
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
            em_q   <= 32'd0;
            em_one <= 1'b0;
            sd_v   <= 1'b0;
        end else if (latch) begin
            em_q    <= fin_any;
            em_one  <= fin_one;
            em_cnt  <= fin;
            em_base <= fbase + {5'd0, sd_q};
        end else if (em_q != 32'd0) begin
            em_q   <= em_rest;
            em_one <= rest_one;
        end
    end

    // ---- control ----
    wire ev_done = e == n_ev && !v0 && !v1 && !v2 && !v3 && !v4 && !v5 && !run && !a1_v;
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
                    row_base <= 5'd0;
                    vbase    <= 10'd0;
                    fbase    <= 13'd0;
                    e        <= 10'd0;
                    clr      <= 10'd0;
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
                    if (clr == 10'd575) begin
                        state <= S_IDLE;
                        busy  <= 1'b0;
                    end else clr <= clr + 1'b1;
                end
                S_EV: begin
                    if (!hold && e != n_ev) e <= e + 1'b1;
                    if (ev_done) begin
                        state <= S_UPD;
                        up    <= 10'd0;
                        vaddr <= vbase;
                        up_v  <= 1'b1;
                    end
                end
                S_UPD: begin
                    if (up_v) begin
                        if (up == 10'd575) up_v <= 1'b0;
                        else begin
                            up    <= up + 1'b1;
                            vaddr <= vaddr + 1'b1;
                        end
                    end else if (!u1_v && !u2_v) begin
                        state  <= S_EMIT;
                        em_go  <= 1'b0;
                        wq     <= 8'd0;
                        wpx    <= 8'd0;
                        sa     <= 10'd0;
                        wstart <= 10'd0;
                        rstart <= 10'd0;
                        pstart <= 10'd0;
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
                            if (wpx == 8'd11) begin
                                wpx    <= 8'd0;
                                pstart <= pstart + 10'd48;
                                wstart <= pstart + 10'd48;
                                rstart <= pstart + 10'd48;
                                sa     <= pstart + 10'd48;
                            end else begin
                                wpx    <= wpx + 1'b1;
                                wstart <= wstart + 10'd2;
                                rstart <= wstart + 10'd2;
                                sa     <= wstart + 10'd2;
                            end
                        end else if (dx == 1'd1) begin
                            dx     <= 1'd0;
                            rstart <= rstart + 10'd24;
                            sa     <= rstart + 10'd24;
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
                out_idx   <= emit_idx[12:0];
                out_val   <= { 1'b0, em_val};
            end
        end
    end
endmodule
