package web

import (
	"net/http"

	"bela/internal/market"
)

// Access says who may use a route. Every route declares it; there is no default.
type Access int

// The access levels.
const (
	// Public routes need no login (the portal, sign-in, health checks, static files).
	Public Access = iota + 1
	// SignedIn routes are for any signed-in user, whatever their roles (own account, inbox).
	SignedIn
	// Roles routes are for signed-in users holding one of the route's roles.
	Roles
)

// Route is one entry of the URL surface: a net/http pattern, who may use it, and the handler.
type Route struct {
	Pattern string
	Access  Access
	Roles   []market.Role
	Handle  func(w http.ResponseWriter, r *http.Request) error
	// MaxBody, when set, replaces Config.MaxBody for this route (file uploads).
	MaxBody int64
}

func roles(rs ...market.Role) []market.Role { return rs }

// Role groups used by several routes.
var (
	userManagers = roles(market.RoleAdmin, market.RoleUnitAdmin, market.RoleSellerOwner)
	auditReaders = roles(market.RoleAuditor, market.RoleAdmin)
	opsReaders   = roles(market.RoleAdmin, market.RoleAuditor)
)

// routeTable is the whole URL surface of the application. Handlers check object-level access
// themselves (a unit's records to its officials, a seller's to its people, all to auditors).
func (s *Server) routeTable() []Route {
	return []Route{
		// Operations.
		{Pattern: "GET /healthz", Access: Public, Handle: s.healthz},
		{Pattern: "GET /readyz", Access: Public, Handle: s.readyz},
		{Pattern: "GET /metrics", Access: Roles, Roles: opsReaders, Handle: s.metricsPage},
		{Pattern: "GET /static/{file}", Access: Public, Handle: s.staticFile},

		// Sign-in and language.
		{Pattern: "GET /masuk", Access: Public, Handle: s.loginForm},
		{Pattern: "POST /masuk", Access: Public, Handle: s.login},
		{Pattern: "POST /keluar", Access: SignedIn, Handle: s.logout},
		{Pattern: "POST /bahasa", Access: Public, Handle: s.setLanguage},
		{Pattern: "GET /kata-sandi/lupa", Access: Public, Handle: s.forgotForm},
		{Pattern: "POST /kata-sandi/lupa", Access: Public, Handle: s.forgot},
		{Pattern: "GET /kata-sandi/atur", Access: Public, Handle: s.setPasswordForm},
		{Pattern: "POST /kata-sandi/atur", Access: Public, Handle: s.setPassword},

		// Own account and inbox.
		{Pattern: "GET /beranda", Access: SignedIn, Handle: s.dashboard},
		{Pattern: "GET /akun", Access: SignedIn, Handle: s.account},
		{Pattern: "POST /akun/kata-sandi", Access: SignedIn, Handle: s.changePassword},
		{Pattern: "POST /akun/token", Access: SignedIn, Handle: s.createTokenPage},
		{Pattern: "POST /akun/token/{id}/cabut", Access: SignedIn, Handle: s.revokeTokenPage},
		{Pattern: "POST /akun/hubungan-penyedia", Access: SignedIn, Handle: s.declareOwnRelation},
		{Pattern: "POST /akun/tawaran-peran/{id}/terima", Access: SignedIn, Handle: s.acceptRoleOffer},
		{Pattern: "POST /akun/tawaran-peran/{id}/tolak", Access: SignedIn, Handle: s.declineRoleOffer},
		{Pattern: "GET /kotak-masuk", Access: SignedIn, Handle: s.inbox},
		{Pattern: "POST /kotak-masuk/{id}/baca", Access: SignedIn, Handle: s.markRead},

		// User management.
		{Pattern: "GET /pengguna", Access: Roles, Roles: userManagers, Handle: s.users},
		{Pattern: "GET /pengguna/undang", Access: Roles, Roles: userManagers, Handle: s.inviteForm},
		{Pattern: "POST /pengguna/undang", Access: Roles, Roles: userManagers, Handle: s.invite},
		{Pattern: "GET /pengguna/{id}", Access: Roles, Roles: userManagers, Handle: s.userPage},
		{Pattern: "POST /pengguna/{id}/peran", Access: Roles, Roles: userManagers, Handle: s.grantRole},
		{Pattern: "POST /pengguna/{id}/peran/{mid}/akhiri", Access: Roles, Roles: userManagers, Handle: s.endRole},
		{Pattern: "POST /pengguna/{id}/status", Access: Roles, Roles: userManagers, Handle: s.setUserActive},

		// Audit trail.
		{Pattern: "GET /audit", Access: Roles, Roles: auditReaders, Handle: s.audit},

		// Inspection by the APIP (ui_cases.go): the red-flag queue and audit cases, auditors only.
		{Pattern: "GET /pemeriksaan", Access: Roles, Roles: roles(market.RoleAuditor), Handle: s.redFlags},
		{Pattern: "POST /pemeriksaan/kasus", Access: Roles, Roles: roles(market.RoleAuditor), Handle: s.openCasePage},
		{Pattern: "GET /pemeriksaan/kasus", Access: Roles, Roles: roles(market.RoleAuditor), Handle: s.cases},
		{Pattern: "GET /pemeriksaan/kasus/{id}", Access: Roles, Roles: roles(market.RoleAuditor), Handle: s.auditCase},
		{Pattern: "POST /pemeriksaan/kasus/{id}/catatan", Access: Roles, Roles: roles(market.RoleAuditor), Handle: s.caseAction("note", "case.noted", s.caseNote)},
		{Pattern: "POST /pemeriksaan/kasus/{id}/tutup", Access: Roles, Roles: roles(market.RoleAuditor), Handle: s.caseAction("close", "case.closed", s.closeCase)},
		{Pattern: "POST /pemeriksaan/kasus/{id}/buka-lagi", Access: Roles, Roles: roles(market.RoleAuditor), Handle: s.caseAction("reopen", "case.reopened", s.reopenCase)},

		// Declared relations between users and sellers (ui_relations.go): private, for platform
		// admins to record and end, auditors to read.
		{Pattern: "GET /admin/hubungan-penyedia", Access: Roles, Roles: relationReaders, Handle: s.relationsAdmin},
		{Pattern: "POST /admin/hubungan-penyedia", Access: Roles, Roles: roles(market.RoleAdmin), Handle: s.recordRelation},
		{Pattern: "POST /admin/hubungan-penyedia/{id}/akhiri", Access: Roles, Roles: roles(market.RoleAdmin), Handle: s.endRelation},

		// Seller onboarding (ui_sellers.go): self-registration, the seller's own pages, the public profile.
		{Pattern: "GET /daftar-usaha", Access: Public, Handle: s.signupForm},
		{Pattern: "POST /daftar-usaha", Access: Public, Handle: s.signup},
		{Pattern: "GET /penjual/{id}", Access: Public, Handle: s.publicSeller},
		{Pattern: "GET /usaha", Access: Roles, Roles: sellerPeople, Handle: s.mySellers},
		{Pattern: "GET /usaha/{id}", Access: Roles, Roles: sellerPeople, Handle: s.sellerHome},
		{Pattern: "GET /usaha/{id}/data", Access: Roles, Roles: roles(market.RoleSellerOwner), Handle: s.registrationForm},
		{Pattern: "POST /usaha/{id}/data", Access: Roles, Roles: roles(market.RoleSellerOwner), Handle: s.saveRegistration},
		{Pattern: "POST /usaha/{id}/dokumen", Access: Roles, Roles: roles(market.RoleSellerOwner), Handle: s.uploadDocument, MaxBody: uploadMaxBody},
		{Pattern: "GET /usaha/{id}/dokumen/{doc}", Access: Roles, Roles: sellerReaders, Handle: s.serveDocument},
		{Pattern: "POST /usaha/{id}/ajukan", Access: Roles, Roles: roles(market.RoleSellerOwner), Handle: s.submitSeller},
		{Pattern: "POST /usaha/{id}/staf", Access: Roles, Roles: roles(market.RoleSellerOwner), Handle: s.inviteStaff},

		// Curation (ui_curator.go): the queue, decisions, the blocked-NPWP list.
		{Pattern: "GET /kurasi", Access: Roles, Roles: curationReaders, Handle: s.curation},
		{Pattern: "GET /kurasi/penjual/{id}", Access: Roles, Roles: curationReaders, Handle: s.curatorSeller},
		{Pattern: "POST /kurasi/penjual/{id}/keputusan", Access: Roles, Roles: roles(market.RoleCurator), Handle: s.decideSellerPage},
		{Pattern: "GET /kurasi/npwp", Access: Roles, Roles: curationReaders, Handle: s.blockedNPWP},
		{Pattern: "POST /kurasi/npwp", Access: Roles, Roles: roles(market.RoleAdmin), Handle: s.blockNPWP},
		{Pattern: "POST /kurasi/npwp/{npwp}/hapus", Access: Roles, Roles: roles(market.RoleAdmin), Handle: s.unblockNPWP},

		// Products (ui_products.go): a seller's listings, form, photos and bulk import; curation;
		// the public catalogue.
		{Pattern: "GET /produk", Access: Roles, Roles: sellerPeople, Handle: s.myProducts},
		{Pattern: "GET /usaha/{id}/produk", Access: Roles, Roles: sellerPeople, Handle: s.sellerProducts},
		{Pattern: "GET /usaha/{id}/produk/baru", Access: Roles, Roles: sellerPeople, Handle: s.newProductForm},
		{Pattern: "POST /usaha/{id}/produk/baru", Access: Roles, Roles: sellerPeople, Handle: s.createProductPage},
		{Pattern: "GET /usaha/{id}/produk/{pid}", Access: Roles, Roles: sellerPeople, Handle: s.editProductForm},
		{Pattern: "POST /usaha/{id}/produk/{pid}", Access: Roles, Roles: sellerPeople, Handle: s.updateProductPage},
		{Pattern: "POST /usaha/{id}/produk/ajukan-semua", Access: Roles, Roles: sellerPeople, Handle: s.submitDraftsPage},
		{Pattern: "POST /usaha/{id}/produk/{pid}/ajukan", Access: Roles, Roles: sellerPeople, Handle: s.submitProductPage},
		{Pattern: "POST /usaha/{id}/produk/{pid}/tarik", Access: Roles, Roles: sellerPeople, Handle: s.withdrawProductPage},
		{Pattern: "POST /usaha/{id}/produk/{pid}/arsipkan", Access: Roles, Roles: sellerPeople, Handle: s.archiveProductPage},
		{Pattern: "POST /usaha/{id}/produk/{pid}/foto", Access: Roles, Roles: sellerPeople, Handle: s.uploadProductPhoto, MaxBody: uploadMaxBody},
		{Pattern: "POST /usaha/{id}/produk/{pid}/foto/{photo}/hapus", Access: Roles, Roles: sellerPeople, Handle: s.deleteProductPhoto},
		{Pattern: "GET /usaha/{id}/produk/impor", Access: Roles, Roles: sellerPeople, Handle: s.importForm},
		{Pattern: "POST /usaha/{id}/produk/impor", Access: Roles, Roles: sellerPeople, Handle: s.importPreview, MaxBody: uploadMaxBody},
		{Pattern: "POST /usaha/{id}/produk/impor/konfirmasi", Access: Roles, Roles: sellerPeople, Handle: s.importConfirm},
		{Pattern: "GET /usaha/{id}/produk/templat.xlsx", Access: Roles, Roles: sellerPeople, Handle: s.importTemplate},
		{Pattern: "GET /kurasi/produk", Access: Roles, Roles: curationReaders, Handle: s.productQueue},
		{Pattern: "GET /kurasi/produk/{id}", Access: Roles, Roles: curationReaders, Handle: s.reviewProductPage},
		{Pattern: "POST /kurasi/produk/{id}/keputusan", Access: Roles, Roles: roles(market.RoleCurator), Handle: s.decideProductPage},
		{Pattern: "GET /katalog", Access: Public, Handle: s.catalog},
		{Pattern: "GET /katalog/produk/{id}", Access: Public, Handle: s.productPublic},
		{Pattern: "GET /katalog/foto/{id}", Access: Public, Handle: s.servePhoto(false)},
		{Pattern: "GET /katalog/foto/{id}/kecil", Access: Public, Handle: s.servePhoto(true)},

		// Ordering pages (ui_budget.go, ui_cart.go, ui_orders.go, ui_policy.go): budget lines and
		// the unit dashboard, the cart and checkout, orders with their actions, the policy.
		{Pattern: "GET /anggaran", Access: Roles, Roles: budgetReaders, Handle: s.budget},
		{Pattern: "POST /anggaran", Access: Roles, Roles: budgetManagers, Handle: s.createBudgetLine},
		{Pattern: "GET /anggaran/impor", Access: Roles, Roles: budgetManagers, Handle: s.budgetImportForm},
		{Pattern: "POST /anggaran/impor", Access: Roles, Roles: budgetManagers, Handle: s.budgetImport(false), MaxBody: budgetImportMaxBody},
		{Pattern: "POST /anggaran/impor/konfirmasi", Access: Roles, Roles: budgetManagers, Handle: s.budgetImport(true), MaxBody: budgetImportMaxBody},
		{Pattern: "GET /keranjang", Access: Roles, Roles: buyers, Handle: s.cart},
		{Pattern: "POST /keranjang", Access: Roles, Roles: buyers, Handle: s.addToCart},
		{Pattern: "POST /keranjang/ubah", Access: Roles, Roles: buyers, Handle: s.updateCart},
		{Pattern: "GET /keranjang/pesan", Access: Roles, Roles: buyers, Handle: s.checkoutPage},
		{Pattern: "POST /keranjang/pesan", Access: Roles, Roles: buyers, Handle: s.checkout},
		{Pattern: "GET /pesanan", Access: Roles, Roles: orderReaders, Handle: s.orders},
		{Pattern: "GET /pesanan/{id}", Access: Roles, Roles: orderReaders, Handle: s.orderView},
		{Pattern: "POST /pesanan/{id}/setujui", Access: Roles, Roles: orderApprovers, Handle: s.orderAction("approve", doApprove)},
		{Pattern: "POST /pesanan/{id}/kembalikan", Access: Roles, Roles: orderApprovers, Handle: s.orderAction("return", doReturn)},
		{Pattern: "POST /pesanan/{id}/tolak", Access: Roles, Roles: orderApprovers, Handle: s.orderAction("reject", doReject)},
		{Pattern: "POST /pesanan/{id}/ajukan-ulang", Access: Roles, Roles: buyers, Handle: s.orderAction("resubmit", doResubmit)},
		{Pattern: "POST /pesanan/{id}/batalkan", Access: Roles, Roles: orderCancellers, Handle: s.orderAction("cancel", doCancel)},
		{Pattern: "POST /pesanan/{id}/terima-pesanan", Access: Roles, Roles: sellerPeople, Handle: s.orderAction("accept", doAccept)},
		{Pattern: "POST /pesanan/{id}/tolak-pesanan", Access: Roles, Roles: sellerPeople, Handle: s.orderAction("decline", doDecline)},
		{Pattern: "POST /pesanan/{id}/kirim", Access: Roles, Roles: sellerPeople, Handle: s.orderAction("ship", doShip)},
		{Pattern: "POST /pesanan/{id}/terima-barang", Access: Roles, Roles: orderReceivers, Handle: s.orderAction("receive", doReceive), MaxBody: receiptMaxBody},
		{Pattern: "GET /pesanan/{id}/foto/{photo}", Access: Roles, Roles: orderReaders, Handle: s.serveReceiptPhoto},
		{Pattern: "POST /pesanan/{id}/tutup-kurang", Access: Roles, Roles: orderApprovers, Handle: s.orderAction("close_short", doCloseShort)},
		{Pattern: "POST /pesanan/{id}/sengketa", Access: Roles, Roles: orderDisputers, Handle: s.orderAction("dispute", doDispute)},
		{Pattern: "POST /pesanan/{id}/sengketa/selesai", Access: Roles, Roles: disputeSettler, Handle: s.orderAction("resolve_dispute", doResolve)},
		{Pattern: "POST /pesanan/{id}/negosiasi", Access: Roles, Roles: orderNegotiator, Handle: s.orderAction("negotiate", doNegotiate)},

		// From BAST to paid (ui_payments.go, ui_documents.go, portal_documents.go): invoice and
		// e-Faktur, payment, rating, the order's documents, the treasurer's list, and the public
		// verification page of a document.
		{Pattern: "GET /pesanan/{id}/tagihan", Access: Roles, Roles: orderReaders, Handle: s.paymentView},
		{Pattern: "POST /pesanan/{id}/tagihan", Access: Roles, Roles: orderSellers, Handle: s.issueInvoicePage, MaxBody: uploadMaxBody},
		{Pattern: "POST /pesanan/{id}/faktur", Access: Roles, Roles: orderSellers, Handle: s.attachFakturPage, MaxBody: uploadMaxBody},
		{Pattern: "GET /pesanan/{id}/faktur", Access: Roles, Roles: orderReaders, Handle: s.serveFaktur},
		{Pattern: "POST /pesanan/{id}/pembayaran", Access: Roles, Roles: orderTreasurers, Handle: s.recordPaymentPage},
		{Pattern: "POST /pesanan/{id}/penilaian", Access: Roles, Roles: orderApprovers, Handle: s.rateSellerPage},
		{Pattern: "POST /pesanan/{id}/penilaian/balasan", Access: Roles, Roles: orderSellers, Handle: s.replyRatingPage},
		{Pattern: "GET /pesanan/{id}/dokumen/{doc}", Access: Roles, Roles: orderReaders, Handle: s.serveOrderDocument},
		{Pattern: "GET /pembayaran", Access: Roles, Roles: payableReaders, Handle: s.payables},
		{Pattern: "GET /verifikasi/{code}", Access: Public, Handle: s.verifyDocument},
		{Pattern: "GET /kebijakan", Access: Roles, Roles: policyReaders, Handle: s.policy},
		{Pattern: "POST /kebijakan", Access: Roles, Roles: roles(market.RoleAdmin), Handle: s.setPolicy},

		// The transparency portal's purchases, their OCDS export and their tables for
		// spreadsheets (portal_orders.go), and one work unit's page (portal_unit.go).
		{Pattern: "GET /belanja", Access: Public, Handle: s.publicSpend},
		{Pattern: "GET /belanja/unit/{id}", Access: Public, Handle: s.publicUnit},
		{Pattern: "GET /belanja/pesanan", Access: Public, Handle: s.publicOrders},
		{Pattern: "GET /belanja/pesanan/{id}", Access: Public, Handle: s.publicOrder},
		{Pattern: "GET /belanja/pesanan/{id}/ocds.json", Access: Public, Handle: s.publicOrderOCDS},
		{Pattern: "GET /belanja/ocds/{year}/{kind}", Access: Public, Handle: s.publicYearOCDS},
		{Pattern: "GET /belanja/ekspor/{file}", Access: Public, Handle: s.publicExport},
		{Pattern: "GET /belanja/data", Access: Public, Handle: s.publicData},
		// The transparency log's public page; its protocol routes (/log/...) come in Config.Extra.
		{Pattern: "GET /log", Access: Public, Handle: s.logIndex},

		// JSON API.
		{Pattern: "GET /api/v1/openapi.json", Access: Public, Handle: s.openAPI},
		{Pattern: "GET /api/v1/me", Access: SignedIn, Handle: s.apiMe},
		{Pattern: "GET /api/v1/tokens", Access: SignedIn, Handle: s.apiListTokens},
		{Pattern: "POST /api/v1/tokens", Access: SignedIn, Handle: s.apiCreateToken},
		{Pattern: "DELETE /api/v1/tokens/{id}", Access: SignedIn, Handle: s.apiRevokeToken},
		{Pattern: "POST /api/v1/sellers", Access: SignedIn, Handle: s.apiCreateSeller},
		{Pattern: "GET /api/v1/sellers/{id}", Access: SignedIn, Handle: s.apiGetSeller},
		{Pattern: "POST /api/v1/sellers/{id}/verification", Access: Roles, Roles: roles(market.RoleCurator), Handle: s.apiVerifySeller},
		{Pattern: "POST /api/v1/products", Access: Roles, Roles: sellerPeople, Handle: s.apiCreateProduct},
		{Pattern: "GET /api/v1/products/{id}", Access: SignedIn, Handle: s.apiGetProduct},
		{Pattern: "PATCH /api/v1/products/{id}", Access: Roles, Roles: sellerPeople, Handle: s.apiUpdateProduct},
		{Pattern: "POST /api/v1/products/{id}/submit", Access: Roles, Roles: sellerPeople, Handle: s.apiSubmitProduct},
		{Pattern: "POST /api/v1/products/{id}/review", Access: Roles, Roles: roles(market.RoleCurator), Handle: s.apiReviewProduct},

		// Budget lines and ordering (api_budget.go, api_orders.go).
		{Pattern: "GET /api/v1/units/{id}/budget-lines", Access: Roles, Roles: budgetReaders, Handle: s.apiListBudgetLines},
		{Pattern: "POST /api/v1/units/{id}/budget-lines", Access: Roles, Roles: budgetManagers, Handle: s.apiCreateBudgetLine},
		{Pattern: "POST /api/v1/units/{id}/budget-lines/import", Access: Roles, Roles: budgetManagers, Handle: s.apiImportBudgetLines},
		{Pattern: "GET /api/v1/units/{id}/dashboard", Access: Roles, Roles: budgetReaders, Handle: s.apiUnitDashboard},
		{Pattern: "GET /api/v1/orders", Access: Roles, Roles: orderReaders, Handle: s.apiListOrders},
		{Pattern: "POST /api/v1/orders", Access: Roles, Roles: roles(market.RoleBuyer), Handle: s.apiCheckout},
		{Pattern: "GET /api/v1/orders/{id}", Access: Roles, Roles: orderReaders, Handle: s.apiGetOrder},
		{Pattern: "POST /api/v1/orders/{id}/approve", Access: Roles, Roles: orderApprovers, Handle: s.apiOrderAction(market.ActionApprove)},
		{Pattern: "POST /api/v1/orders/{id}/return", Access: Roles, Roles: orderApprovers, Handle: s.apiOrderAction(market.ActionReturn)},
		{Pattern: "POST /api/v1/orders/{id}/resubmit", Access: Roles, Roles: roles(market.RoleBuyer), Handle: s.apiOrderAction(market.ActionResubmit)},
		{Pattern: "POST /api/v1/orders/{id}/reject", Access: Roles, Roles: orderApprovers, Handle: s.apiOrderAction(market.ActionReject)},
		{Pattern: "POST /api/v1/orders/{id}/accept", Access: Roles, Roles: orderSellers, Handle: s.apiOrderAction(market.ActionAccept)},
		{Pattern: "POST /api/v1/orders/{id}/decline", Access: Roles, Roles: orderSellers, Handle: s.apiOrderAction(market.ActionDecline)},
		{Pattern: "POST /api/v1/orders/{id}/ship", Access: Roles, Roles: orderSellers, Handle: s.apiOrderAction(market.ActionShip)},
		{Pattern: "POST /api/v1/orders/{id}/receive", Access: Roles, Roles: orderReceivers, Handle: s.apiOrderAction(market.ActionReceive), MaxBody: receiptAPIMaxBody},
		{Pattern: "GET /api/v1/orders/{id}/photos/{photo}", Access: Roles, Roles: orderReaders, Handle: s.serveReceiptPhoto},
		{Pattern: "POST /api/v1/orders/{id}/close-short", Access: Roles, Roles: orderApprovers, Handle: s.apiOrderAction(market.ActionCloseShort)},
		{Pattern: "POST /api/v1/orders/{id}/cancel", Access: Roles, Roles: orderCancellers, Handle: s.apiOrderAction(market.ActionCancel)},
		{Pattern: "POST /api/v1/orders/{id}/dispute", Access: Roles, Roles: orderDisputers, Handle: s.apiOrderAction(market.ActionDispute)},
		{Pattern: "POST /api/v1/orders/{id}/resolve-dispute", Access: Roles, Roles: roles(market.RoleAdmin), Handle: s.apiOrderAction(market.ActionResolveDispute)},
		{Pattern: "POST /api/v1/orders/{id}/negotiation", Access: Roles, Roles: orderNegotiator, Handle: s.apiNegotiate},

		// From BAST to paid (api_payments.go, ui_documents.go).
		{Pattern: "GET /api/v1/orders/{id}/tax", Access: Roles, Roles: orderReaders, Handle: s.apiOrderTax},
		{Pattern: "POST /api/v1/orders/{id}/invoice", Access: Roles, Roles: orderSellers, Handle: s.apiIssueInvoice, MaxBody: 2 * uploadMaxBody},
		{Pattern: "POST /api/v1/orders/{id}/payments", Access: Roles, Roles: orderTreasurers, Handle: s.apiRecordPayment},
		{Pattern: "POST /api/v1/orders/{id}/rating", Access: Roles, Roles: ratingWriters, Handle: s.apiRateSeller},
		{Pattern: "GET /api/v1/orders/{id}/documents/{doc}", Access: Roles, Roles: orderReaders, Handle: s.serveOrderDocument},

		// Inspection by the APIP (api_cases.go): the red-flag queue and audit cases, auditors only.
		{Pattern: "GET /api/v1/red-flags", Access: Roles, Roles: roles(market.RoleAuditor), Handle: s.apiRedFlags},
		{Pattern: "GET /api/v1/cases", Access: Roles, Roles: roles(market.RoleAuditor), Handle: s.apiListCases},
		{Pattern: "POST /api/v1/cases", Access: Roles, Roles: roles(market.RoleAuditor), Handle: s.apiOpenCase},
		{Pattern: "GET /api/v1/cases/{id}", Access: Roles, Roles: roles(market.RoleAuditor), Handle: s.apiGetCase},
		{Pattern: "POST /api/v1/cases/{id}/notes", Access: Roles, Roles: roles(market.RoleAuditor), Handle: s.apiCaseNote},
		{Pattern: "POST /api/v1/cases/{id}/close", Access: Roles, Roles: roles(market.RoleAuditor), Handle: s.apiCloseCase},
		{Pattern: "POST /api/v1/cases/{id}/reopen", Access: Roles, Roles: roles(market.RoleAuditor), Handle: s.apiReopenCase},
	}
}
