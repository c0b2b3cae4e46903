// AXI4-Lite slave properties (AMBA AXI and ACE spec, IHI 0022, A3 and B1) for bounded model checking with
// Yosys (read_verilog -formal). The master's side of each rule is assumed, the slave's asserted, so a
// counterexample is always the slave's fault. Synchronous, active-low reset; every VALID low in the cycle
// after reset is sampled. MAX_WAIT bounds how long a request may wait for its response, which makes
// "every request is answered" checkable in a bounded run.
module axi4lite_slave_props #(
    parameter AW = 8,
    parameter DW = 32,
    parameter MAX_WAIT = 4
) (
    input wire          aclk,
    input wire          aresetn,
    input wire [AW-1:0] awaddr,
    input wire          awvalid,
    input wire          awready,
    input wire [DW-1:0] wdata,
    input wire [DW/8-1:0] wstrb,
    input wire          wvalid,
    input wire          wready,
    input wire [1:0]    bresp,
    input wire          bvalid,
    input wire          bready,
    input wire [AW-1:0] araddr,
    input wire          arvalid,
    input wire          arready,
    input wire [DW-1:0] rdata,
    input wire [1:0]    rresp,
    input wire          rvalid,
    input wire          rready
);
    // the previous cycle, kept by hand ($past is for clocked blocks only)
    reg          past_valid = 1'b0, past_aresetn = 1'b0;
    reg          past_aw_waiting = 1'b0, past_w_waiting = 1'b0, past_ar_waiting = 1'b0;
    reg          past_b_waiting = 1'b0, past_r_waiting = 1'b0;
    reg [AW-1:0] past_awaddr = {AW{1'b0}}, past_araddr = {AW{1'b0}};
    reg [DW-1:0] past_wdata = {DW{1'b0}}, past_rdata = {DW{1'b0}};
    reg [DW/8-1:0] past_wstrb = {DW/8{1'b0}};
    reg [1:0]    past_bresp = 2'b00, past_rresp = 2'b00;
    always @(posedge aclk) begin
        past_valid      <= 1'b1;
        past_aresetn    <= aresetn;
        past_aw_waiting <= awvalid && !awready;
        past_w_waiting  <= wvalid && !wready;
        past_ar_waiting <= arvalid && !arready;
        past_b_waiting  <= bvalid && !bready;
        past_r_waiting  <= rvalid && !rready;
        past_awaddr     <= awaddr;
        past_araddr     <= araddr;
        past_wdata      <= wdata;
        past_wstrb      <= wstrb;
        past_rdata      <= rdata;
        past_bresp      <= bresp;
        past_rresp      <= rresp;
    end
    wire after_reset = past_valid && !past_aresetn;
    // both this cycle and the one before out of reset: the hold rules apply
    wire running = past_valid && aresetn && past_aresetn;

    // Requests accepted and not yet answered; a write is answered once both AW and W were taken.
    reg [3:0] aw_open = 4'd0, w_open = 4'd0, ar_open = 4'd0;
    reg [3:0] b_wait = 4'd0, r_wait = 4'd0;
    wire b_due = (aw_open != 4'd0) && (w_open != 4'd0);
    always @(posedge aclk) begin
        if (!aresetn) begin
            aw_open <= 4'd0;
            w_open  <= 4'd0;
            ar_open <= 4'd0;
            b_wait  <= 4'd0;
            r_wait  <= 4'd0;
        end else begin
            aw_open <= aw_open + (awvalid && awready) - (bvalid && bready);
            w_open  <= w_open + (wvalid && wready) - (bvalid && bready);
            ar_open <= ar_open + (arvalid && arready) - (rvalid && rready);
            b_wait  <= (b_due && !bvalid) ? b_wait + 4'd1 : 4'd0;
            r_wait  <= (ar_open != 4'd0 && !rvalid) ? r_wait + 4'd1 : 4'd0;
        end
    end

    // the master (assumed): nothing valid after reset; a request held, unchanged, until accepted; no more
    // requests in flight than the counters hold (a slave that never answers is caught by the wait bound first)
    wire env_reset = !after_reset || (!awvalid && !wvalid && !arvalid);
    wire env_aw = !(running && past_aw_waiting) || (awvalid && awaddr == past_awaddr);
    wire env_w = !(running && past_w_waiting) || (wvalid && wdata == past_wdata && wstrb == past_wstrb);
    wire env_ar = !(running && past_ar_waiting) || (arvalid && araddr == past_araddr);
    wire env_bound = aw_open < 4'd8 && w_open < 4'd8 && ar_open < 4'd8;

    // the slave (asserted)
    wire ok_reset = !after_reset || (!bvalid && !rvalid);                 // nothing valid after reset
    wire ok_b_request = !aresetn || !bvalid || b_due;                     // no write response without a write
    wire ok_r_request = !aresetn || !rvalid || ar_open != 4'd0;           // no read response without a read
    wire ok_b_hold = !(running && past_b_waiting) || (bvalid && bresp == past_bresp);
    wire ok_r_hold = !(running && past_r_waiting) || (rvalid && rdata == past_rdata && rresp == past_rresp);
    wire ok_answered = b_wait < MAX_WAIT && r_wait < MAX_WAIT;           // every request answered in time

    always @(posedge aclk) begin
        assume(env_reset && env_aw && env_w && env_ar && env_bound);
        assert(ok_reset);
        assert(ok_b_request);
        assert(ok_r_request);
        assert(ok_b_hold);
        assert(ok_r_hold);
        assert(ok_answered);
    end
endmodule
