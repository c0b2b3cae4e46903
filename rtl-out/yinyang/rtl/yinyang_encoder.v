`timescale 1ns / 1ps
// yinyang_encoder: holds the 4 input intensities (8 bits each) written by the host and turns them into layer 0's
// event list (docs/semantics.md §3, direct encoding), once per inference (layer 0 replays it). One input per cycle.
module yinyang_encoder (
    input  wire              clk,
    input  wire              rst,
    input  wire              start,
    output reg               busy,
    input  wire              in_we,
    input  wire [1:0] in_addr,
    input  wire [7:0]        in_data,
    output reg               out_valid,
    output reg  [1:0] out_idx,
    output reg  [7:0]        out_val
);
    reg [7:0] inmem [0:3];
    reg [7:0] x_q;
    reg [2:0] i;
    reg       p_v;
    reg [1:0] p_idx;

    always @(posedge clk) begin
        if (in_we) inmem[in_addr] <= in_data;
        x_q <= inmem[i[1:0]];
    end

    wire fire = x_q != 8'd0;

    always @(posedge clk) begin
        out_valid <= 1'b0;
        if (rst) begin
            busy <= 1'b0;
            i    <= 3'd0;
            p_v  <= 1'b0;
        end else begin
            p_v   <= busy && (i != 3'd4);
            p_idx <= i[1:0];
            if (start) begin
                busy <= 1'b1;
                i    <= 3'd0;
            end else if (busy) begin
                if (i != 3'd4) i <= i + 1'b1;
                else if (!p_v) busy <= 1'b0;
            end
            if (p_v && fire) begin
                out_valid <= 1'b1;
                out_idx   <= p_idx;
                out_val   <= x_q;
            end
        end
    end
endmodule
