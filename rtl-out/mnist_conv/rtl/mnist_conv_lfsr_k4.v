`timescale 1ns / 1ps
// mnist_conv_lfsr_k4: 32-bit Fibonacci LFSR, x^32 + x^22 + x^2 + x + 1, leaping 4 steps per draw.
// r is the draw on offer now (the 4 newest bits after the leap); adv takes it (docs/semantics.md §1.1).
// The XOR equations are generated from the same step definition the golden model uses.
module mnist_conv_lfsr_k4 #(
    parameter [31:0] SEED = 32'h00000001
) (
    input  wire          clk,
    input  wire          load,
    input  wire          adv,
    output wire [3:0] r
);
    reg  [31:0] s = SEED;
    wire [3:0] nb;
    assign nb[0] = s[31] ^ s[29] ^ s[28] ^ s[21] ^ s[19] ^ s[18] ^ s[1] ^ s[0];
    assign nb[1] = s[30] ^ s[29] ^ s[20] ^ s[19] ^ s[0];
    assign nb[2] = s[31] ^ s[30] ^ s[21] ^ s[20] ^ s[1];
    assign nb[3] = s[31] ^ s[21] ^ s[1] ^ s[0];
    assign r = nb;

    always @(posedge clk) begin
        if (load) s <= SEED;
        else if (adv) s <= {s[27:0], nb};
    end
endmodule
