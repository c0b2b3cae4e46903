// The generated AXI wrapper (module `BSNN_AXI, with its core) inside the AXI4-Lite and AXI4-Stream property
// modules. Every input of the wrapper is free: the solver plays the DMA, the host and the reset.
//   BSNN_IN_BEATS  : M, input beats per sample    BSNN_OUT_BEATS : C + 2, result beats per inference
//   REACH defined  : instead of proving, claim that no result packet ever completes; the solver must refute it
//                    within the depth, which shows the depth reaches a whole packet.
module bsnn_axi_formal (
    input wire        aclk,
    input wire        aresetn,
    input wire [7:0]  s_axis_tdata,
    input wire        s_axis_tvalid,
    input wire        s_axis_tlast,
    input wire        m_axis_tready,
    input wire [7:0]  s_axi_awaddr,
    input wire        s_axi_awvalid,
    input wire [31:0] s_axi_wdata,
    input wire [3:0]  s_axi_wstrb,
    input wire        s_axi_wvalid,
    input wire        s_axi_bready,
    input wire [7:0]  s_axi_araddr,
    input wire        s_axi_arvalid,
    input wire        s_axi_rready
);
    wire        s_axis_tready, m_axis_tvalid, m_axis_tlast;
    wire [31:0] m_axis_tdata;
    wire [3:0]  m_axis_tkeep;
    wire        s_axi_awready, s_axi_wready, s_axi_bvalid, s_axi_arready, s_axi_rvalid, irq;
    wire [1:0]  s_axi_bresp, s_axi_rresp;
    wire [31:0] s_axi_rdata;

    `BSNN_AXI dut (
        .aclk(aclk), .aresetn(aresetn),
        .s_axis_tdata(s_axis_tdata), .s_axis_tvalid(s_axis_tvalid), .s_axis_tready(s_axis_tready), .s_axis_tlast(s_axis_tlast),
        .m_axis_tdata(m_axis_tdata), .m_axis_tvalid(m_axis_tvalid), .m_axis_tready(m_axis_tready), .m_axis_tlast(m_axis_tlast),
        .m_axis_tkeep(m_axis_tkeep),
        .s_axi_awaddr(s_axi_awaddr), .s_axi_awvalid(s_axi_awvalid), .s_axi_awready(s_axi_awready),
        .s_axi_wdata(s_axi_wdata), .s_axi_wstrb(s_axi_wstrb), .s_axi_wvalid(s_axi_wvalid), .s_axi_wready(s_axi_wready),
        .s_axi_bresp(s_axi_bresp), .s_axi_bvalid(s_axi_bvalid), .s_axi_bready(s_axi_bready),
        .s_axi_araddr(s_axi_araddr), .s_axi_arvalid(s_axi_arvalid), .s_axi_arready(s_axi_arready),
        .s_axi_rdata(s_axi_rdata), .s_axi_rresp(s_axi_rresp), .s_axi_rvalid(s_axi_rvalid), .s_axi_rready(s_axi_rready),
        .irq(irq)
    );

    // The run starts in reset.
    reg past_valid = 1'b0;
    always @(posedge aclk) begin
        past_valid <= 1'b1;
        if (!past_valid) assume(!aresetn);
    end

    // Since the last reset, a sample's last beat or a register write arrived: only then may results flow.
    reg started = 1'b0;
    always @(posedge aclk)
        if (!aresetn) started <= 1'b0;
        else if ((s_axis_tvalid && s_axis_tready && s_axis_tlast) || (s_axi_wvalid && s_axi_wready)) started <= 1'b1;

    axi4stream_props #(.W(8), .KW(1), .SOURCE_IS_DUT(0)) in_props (
        .aclk(aclk), .aresetn(aresetn), .tdata(s_axis_tdata), .tkeep(1'b1), .tlast(s_axis_tlast),
        .tvalid(s_axis_tvalid), .tready(s_axis_tready), .started(1'b1)
    );
    axi4stream_props #(.W(32), .KW(4), .SOURCE_IS_DUT(1), .PACKET_BEATS(`BSNN_OUT_BEATS)) out_props (
        .aclk(aclk), .aresetn(aresetn), .tdata(m_axis_tdata), .tkeep(m_axis_tkeep), .tlast(m_axis_tlast),
        .tvalid(m_axis_tvalid), .tready(m_axis_tready), .started(started)
    );
    axi4lite_slave_props #(.AW(8), .DW(32)) lite_props (
        .aclk(aclk), .aresetn(aresetn),
        .awaddr(s_axi_awaddr), .awvalid(s_axi_awvalid), .awready(s_axi_awready),
        .wdata(s_axi_wdata), .wstrb(s_axi_wstrb), .wvalid(s_axi_wvalid), .wready(s_axi_wready),
        .bresp(s_axi_bresp), .bvalid(s_axi_bvalid), .bready(s_axi_bready),
        .araddr(s_axi_araddr), .arvalid(s_axi_arvalid), .arready(s_axi_arready),
        .rdata(s_axi_rdata), .rresp(s_axi_rresp), .rvalid(s_axi_rvalid), .rready(s_axi_rready)
    );

    // the last beat of a result packet is accepted
    wire packet_done = aresetn && m_axis_tvalid && m_axis_tready && m_axis_tlast;
`ifdef REACH
    always @(posedge aclk) assert(!packet_done);
`endif
    wire _unused = &{1'b0, irq};
endmodule
