`timescale 1ns / 1ps
// mnist_conv_encoder: holds the 784 input intensities (8 bits each) written by the host and turns them into layer 0's
// event list (docs/semantics.md §3, direct encoding), once per inference (layer 0 replays it): 8 inputs per
// cycle where they are zero, one event per cycle where they are not.
module mnist_conv_encoder (
    input  wire              clk,
    input  wire              rst,
    input  wire              start,
    output reg               busy,
    input  wire              in_we,
    input  wire [9:0] in_addr,
    input  wire [7:0]        in_data,
    output reg               out_valid,
    output reg  [9:0] out_idx,
    output reg  [7:0]        out_val
);
    // The intensities as 98 words of 8 bytes, input i in word i / 8, lane i % 8; each lane holds 9 bits, the
    // byte and its nonzero flag, so the scan needs no zero test (and the word fits a 72-bit block RAM row). The
    // host still writes one byte at a time: a write port with a 9-bit write enable per lane.
    reg  [71:0] mem [0:97];
    wire        in_nz = in_data != 8'd0;
    always @(posedge clk) begin
        if (in_we) begin
            if (in_addr[2:0] == 3'd0) mem[in_addr[9:3]][8:0] <= {in_nz, in_data};
            if (in_addr[2:0] == 3'd1) mem[in_addr[9:3]][17:9] <= {in_nz, in_data};
            if (in_addr[2:0] == 3'd2) mem[in_addr[9:3]][26:18] <= {in_nz, in_data};
            if (in_addr[2:0] == 3'd3) mem[in_addr[9:3]][35:27] <= {in_nz, in_data};
            if (in_addr[2:0] == 3'd4) mem[in_addr[9:3]][44:36] <= {in_nz, in_data};
            if (in_addr[2:0] == 3'd5) mem[in_addr[9:3]][53:45] <= {in_nz, in_data};
            if (in_addr[2:0] == 3'd6) mem[in_addr[9:3]][62:54] <= {in_nz, in_data};
            if (in_addr[2:0] == 3'd7) mem[in_addr[9:3]][71:63] <= {in_nz, in_data};
        end
    end

    // The scan. x_q is the word being scanned (the registered read of word base); ra is the next word to read.
    // A word stays while it has more than one nonzero byte left to emit; in the cycle it emits its last one
    // (or has none) the next word is read, so a word costs max(1, its nonzero bytes) cycles.
    reg  [71:0] x_q;
    reg  [6:0]  ra;
    reg         cv;        // x_q holds a word of this scan
    reg  [6:0]  base;
    reg  [7:0]  taken;     // bytes of x_q already emitted
    wire [7:0]  nz = { x_q[71], x_q[62], x_q[53], x_q[44], x_q[35], x_q[26], x_q[17], x_q[8] };
    wire [7:0]  rem = {8{cv}} & nz & ~taken;
    // below[j]: a byte under lane j is left too. low: the lowest byte left (one-hot), lane: its number;
    // more: another one is left.
    wire [7:0]  below = { |rem[6:0], |rem[5:0], |rem[4:0], |rem[3:0], |rem[2:0], |rem[1:0], rem[0], 1'b0 };
    wire [7:0]  low = rem & ~below;
    wire        more = |(rem & below);
    wire [2:0]  lane = {low[7] | low[6] | low[5] | low[4], low[7] | low[6] | low[3] | low[2], low[7] | low[5] | low[3] | low[1]};
    wire        adv = busy && !more;

    always @(posedge clk) begin
        if (adv) x_q <= mem[ra];
    end

    always @(posedge clk) begin
        out_valid <= 1'b0;
        if (rst) begin
            busy <= 1'b0;
            cv   <= 1'b0;
        end else if (start) begin
            busy <= 1'b1;
            cv   <= 1'b0;
            ra   <= 7'd0;
        end else if (busy) begin
            if (rem != 8'd0) begin
                out_valid <= 1'b1;
                out_idx   <= {base, lane};
                out_val   <= ({8{low[0]}} & x_q[7:0]) |
                             ({8{low[1]}} & x_q[16:9]) |
                             ({8{low[2]}} & x_q[25:18]) |
                             ({8{low[3]}} & x_q[34:27]) |
                             ({8{low[4]}} & x_q[43:36]) |
                             ({8{low[5]}} & x_q[52:45]) |
                             ({8{low[6]}} & x_q[61:54]) |
                             ({8{low[7]}} & x_q[70:63]);
            end
            if (adv) begin
                taken  <= 8'd0;
                base   <= ra;
                if (ra != 7'd98) begin
                    cv <= 1'b1;
                    ra <= ra + 1'b1;
                end else begin
                    cv <= 1'b0;
                    // the last word has been emitted: done when it was (cv) or there was none left to read
                    if (!cv) busy <= 1'b0;
                end
            end else begin
                taken <= taken | low;
            end
        end
    end
endmodule
