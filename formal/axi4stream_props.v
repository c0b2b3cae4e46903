// AXI4-Stream properties (AMBA AXI4-Stream spec, IHI 0051, 2.2 handshake and 2.7 reset) for bounded model
// checking with Yosys (read_verilog -formal). SOURCE_IS_DUT = 1 asserts the transmitter's rules (the design
// drives TVALID); 0 assumes them (the design receives, the environment must play fair).
//   - no TVALID in the cycle after reset is sampled, nor before `started` (something was asked of the design);
//   - once TVALID is high it stays high, with TDATA, TLAST and TKEEP unchanged, until TREADY;
//   - PACKET_BEATS > 0: every packet is exactly that many beats, TLAST on the last and only there.
module axi4stream_props #(
    parameter W = 8,
    parameter KW = 1,
    parameter SOURCE_IS_DUT = 1,
    parameter PACKET_BEATS = 0
) (
    input wire          aclk,
    input wire          aresetn,
    input wire [W-1:0]  tdata,
    input wire [KW-1:0] tkeep,
    input wire          tlast,
    input wire          tvalid,
    input wire          tready,
    input wire          started
);
    // the previous cycle, kept by hand ($past is for clocked blocks only)
    reg          past_valid = 1'b0, past_aresetn = 1'b0, past_waiting = 1'b0, past_tlast = 1'b0;
    reg [W-1:0]  past_tdata = {W{1'b0}};
    reg [KW-1:0] past_tkeep = {KW{1'b0}};
    always @(posedge aclk) begin
        past_valid   <= 1'b1;
        past_aresetn <= aresetn;
        past_waiting <= tvalid && !tready;
        past_tdata   <= tdata;
        past_tlast   <= tlast;
        past_tkeep   <= tkeep;
    end
    wire held = past_valid && aresetn && past_aresetn && past_waiting;
    wire ok_reset = !(past_valid && !past_aresetn) || !tvalid;
    wire ok_hold = !held || (tvalid && tdata == past_tdata && tlast == past_tlast && tkeep == past_tkeep);
    wire ok_start = !aresetn || !tvalid || started;

    // beats of the packet in progress
    reg [7:0] beat = 8'd0;
    always @(posedge aclk)
        if (!aresetn) beat <= 8'd0;
        else if (tvalid && tready) beat <= tlast ? 8'd0 : beat + 8'd1;
    wire ok_packet = PACKET_BEATS == 0 || !aresetn || !tvalid || (tlast == (beat == PACKET_BEATS - 1));

    always @(posedge aclk)
        if (SOURCE_IS_DUT) begin
            assert(ok_reset);
            assert(ok_hold);
            assert(ok_start);
            assert(ok_packet);
        end else begin
            assume(ok_reset);
            assume(ok_hold);
        end
endmodule
