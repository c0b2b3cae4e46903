`timescale 1ns / 1ps
// mnist_conv_layer3: layer 3, 256 inputs -> 10 neurons on 10 lanes in 1 pass,
// 4-bit Bernoulli probabilities, time-ensemble sampling. Arithmetic: docs/semantics.md §4.
//
// A timestep: for each pass f, the events written since the last step flow through a 4-stage pipeline
// (event list read -> probability row read and P weight draws -> registered weights -> +/-x accumulations), then acc + b of
// each lane is latched and passed on, one neuron per cycle, lowest neuron first: this is the non-spiking
// readout layer of a potential readout (no membrane, threshold or spikes).
module mnist_conv_layer3 (
    input  wire              clk,
    input  wire              rst,
    input  wire              seed_load,     // re-seed every stream (start of an inference)
    input  wire [31:0]       seed_rt,       // runtime seed, valid from the cycle before seed_load on (docs/semantics.md §1.2)
    input  wire              sample_start,  // start of a sample (no membranes to clear)
    input  wire              step_start,    // one timestep over the events written since the last step
    output reg               busy,
    input  wire              ev_we,
    input  wire [7:0] ev_idx,
    output reg               out_valid,
    output reg  [3:0] out_idx,
    output reg  [10:0] out_val        // acc + b of neuron out_idx (signed)
);
    localparam [2:0] S_IDLE = 3'd0, S_CLR = 3'd1, S_EV = 3'd3, S_UPD = 3'd4, S_EMIT = 3'd5;
    localparam [319:0] WSEED = {32'hf08911fe, 32'h318e066d, 32'h9cbf8d33, 32'hdf2b93d8, 32'h2d608b90, 32'he16bc6e7, 32'h452a7e08, 32'hab92a88d, 32'ha239bf6e, 32'h948008c0};

    reg [2:0] state;
    reg [0:0] f;            // pass
    reg [7:0] row_base;     // f * M
    reg [3:0] pass_base;    // f * P (neuron of lane 0)

    // ---- input event list, written by the previous stage while this layer is idle ----
    reg [8:0] wr_ptr;
    reg [8:0] n_ev;
    reg [8:0] e;
    reg [7:0] ev_q;
    reg [7:0] evmem [0:255];
    always @(posedge clk) begin
        if (ev_we) evmem[wr_ptr[7:0]] <= ev_idx;
        ev_q <= evmem[e[7:0]];
    end
    always @(posedge clk) begin
        if (rst || seed_load || (state == S_IDLE && step_start)) wr_ptr <= 9'd0;
        else if (ev_we) wr_ptr <= wr_ptr + 1'b1;
    end
    wire [7:0] ev_q_idx = ev_q[7:0];

    // ---- pipeline valids: stage 1 has the event, stage 2 the probability row (and the draw), stage 3 the weight ----
    reg p1_v, p2_v, p3_v;

    // ---- probability memory: row f*M + i holds the P lanes' codes for input i ----
    // Block RAM from 4 kbit up; below that the tool picks (LUT ROM in practice).
    (* rom_style = "block" *) reg [39:0] probmem [0:255];
    initial $readmemh("mnist_conv_layer3_prob.mem", probmem);
    wire [7:0] ev_row = row_base + ev_q_idx;
    wire [7:0] prob_addr = ev_row;
    reg  [39:0] prob_q;
    always @(posedge clk) prob_q <= probmem[prob_addr];
    wire [9:0] wbit;
    wire w_adv = p2_v;
    wire [9:0] wsel = wbit;

    // ---- biases (read-only rows of P) ----
    reg  [19:0] biasmem [0:0];
    initial $readmemh("mnist_conv_layer3_bias.mem", biasmem);
    wire [19:0] brow = biasmem[f];
    wire [109:0] vals;    // acc + b of the P lanes, lane 0 in the low bits
    reg  [109:0] val_q;   // latched in S_UPD; shifts down one lane per cycle in S_EMIT
    reg  [3:0] lane;        // lane passed on in S_EMIT
    wire last_pass = f == 1'd0;
    wire last_lane = lane == (last_pass ? 4'd9 : 4'd9);

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
        for (j = 0; j < 10; j = j + 1) begin : g_lane
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
            reg signed [9:0] acc;
            wire signed [9:0] xv = 10'sd1;
            always @(posedge clk) begin
                if (rst || state == S_UPD) acc <= 10'sd0;
                else if (p3_v) acc <= w_q ? acc + xv : acc - xv;
            end

            // the readout value acc + b (exact in 11 bits)
            wire [1:0] bias_b = brow[2*j +: 2];
            wire signed [10:0] bias = {{9{bias_b[1]}}, bias_b};
            wire signed [10:0] accw = {{1{acc[9]}}, acc};
            assign vals[11*j +: 11] = accw + bias;
        end
    endgenerate

    // ---- readout emission: one lane per cycle, lane 0 first ----
    always @(posedge clk) begin
        if (state == S_UPD) val_q <= vals;
        else if (state == S_EMIT) val_q <= {11'd0, val_q[109:11]};
    end
    wire [3:0] emit_idx = pass_base + lane;


    always @(posedge clk) begin
        out_valid <= 1'b0;
        p1_v <= (state == S_EV) && (e != n_ev);
        p2_v <= p1_v;
        p3_v <= p2_v;
        if (rst) begin
            state <= S_IDLE;
            busy  <= 1'b0;
            f     <= 1'd0;
            p1_v  <= 1'b0;
            p2_v  <= 1'b0;
            p3_v  <= 1'b0;
        end else begin
            case (state)
                S_IDLE: begin
                    f         <= 1'd0;
                    row_base  <= 8'd0;
                    pass_base <= 4'd0;
                    e         <= 9'd0;
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
                    else if (!p1_v && !p2_v && !p3_v) state <= S_UPD;
                end
                S_UPD: begin
                    lane  <= 4'd0;
                    state <= S_EMIT;
                end
                S_EMIT: begin
                    out_valid <= 1'b1;
                    out_idx   <= emit_idx[3:0];
                    out_val   <= val_q[10:0];
                    lane      <= lane + 1'b1;
                    if (last_lane) begin
                        if (last_pass) begin
                            state <= S_IDLE;
                            busy  <= 1'b0;
                        end
                    end
                end
                default: state <= S_IDLE;
            endcase
        end
    end
endmodule
