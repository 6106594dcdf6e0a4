export namespace app {
	
	export class AdminDTO {
	    id: string;
	    name: string;
	    email: string;
	
	    static createFrom(source: any = {}) {
	        return new AdminDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.email = source["email"];
	    }
	}
	export class ErrorDTO {
	    code: string;
	    message: string;
	    field?: string;
	    key?: string;
	    args?: {[key: string]: any};
	
	    static createFrom(source: any = {}) {
	        return new ErrorDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.message = source["message"];
	        this.field = source["field"];
	        this.key = source["key"];
	        this.args = source["args"];
	    }
	}
	export class EmailSettingsDTO {
	    configured: boolean;
	    host: string;
	    port: number;
	    security: string;
	    username: string;
	    fromName: string;
	    fromAddress: string;
	    platformUrl: string;
	    language: string;
	    rateLimit: number;
	    trustedFingerprint: string;
	    passwordSet: boolean;
	    passwordStore: string;
	    keyringProblem?: ErrorDTO;
	
	    static createFrom(source: any = {}) {
	        return new EmailSettingsDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.configured = source["configured"];
	        this.host = source["host"];
	        this.port = source["port"];
	        this.security = source["security"];
	        this.username = source["username"];
	        this.fromName = source["fromName"];
	        this.fromAddress = source["fromAddress"];
	        this.platformUrl = source["platformUrl"];
	        this.language = source["language"];
	        this.rateLimit = source["rateLimit"];
	        this.trustedFingerprint = source["trustedFingerprint"];
	        this.passwordSet = source["passwordSet"];
	        this.passwordStore = source["passwordStore"];
	        this.keyringProblem = this.convertValues(source["keyringProblem"], ErrorDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class EmailSettingsParams {
	    host: string;
	    port: number;
	    security: string;
	    username: string;
	    fromName: string;
	    fromAddress: string;
	    platformUrl: string;
	    language: string;
	    rateLimit: number;
	    trustedFingerprint?: string;
	    password: string;
	    sessionOnly: boolean;
	
	    static createFrom(source: any = {}) {
	        return new EmailSettingsParams(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.host = source["host"];
	        this.port = source["port"];
	        this.security = source["security"];
	        this.username = source["username"];
	        this.fromName = source["fromName"];
	        this.fromAddress = source["fromAddress"];
	        this.platformUrl = source["platformUrl"];
	        this.language = source["language"];
	        this.rateLimit = source["rateLimit"];
	        this.trustedFingerprint = source["trustedFingerprint"];
	        this.password = source["password"];
	        this.sessionOnly = source["sessionOnly"];
	    }
	}
	
	export class MailPreviewDTO {
	    subject: string;
	    text: string;
	    html: string;
	
	    static createFrom(source: any = {}) {
	        return new MailPreviewDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.subject = source["subject"];
	        this.text = source["text"];
	        this.html = source["html"];
	    }
	}
	export class MailQueueDTO {
	    queued: number;
	    sending: number;
	    sent: number;
	    failed: number;
	    nextAttemptAt: string;
	
	    static createFrom(source: any = {}) {
	        return new MailQueueDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.queued = source["queued"];
	        this.sending = source["sending"];
	        this.sent = source["sent"];
	        this.failed = source["failed"];
	        this.nextAttemptAt = source["nextAttemptAt"];
	    }
	}
	export class OrganisationDTO {
	    name: string;
	    createdAt: string;
	
	    static createFrom(source: any = {}) {
	        return new OrganisationDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.createdAt = source["createdAt"];
	    }
	}
	export class PreferencesDTO {
	    language: string;
	
	    static createFrom(source: any = {}) {
	        return new PreferencesDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.language = source["language"];
	    }
	}
	export class PreviewTemplateParams {
	    kind: string;
	    language: string;
	
	    static createFrom(source: any = {}) {
	        return new PreviewTemplateParams(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.language = source["language"];
	    }
	}
	export class SetupParams {
	    organisationName: string;
	    adminName: string;
	    adminEmail: string;
	
	    static createFrom(source: any = {}) {
	        return new SetupParams(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.organisationName = source["organisationName"];
	        this.adminName = source["adminName"];
	        this.adminEmail = source["adminEmail"];
	    }
	}
	export class StateDTO {
	    setupComplete: boolean;
	    organisation?: OrganisationDTO;
	    admin?: AdminDTO;
	    language: string;
	    systemLanguage: string;
	    version: string;
	    databasePath: string;
	
	    static createFrom(source: any = {}) {
	        return new StateDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.setupComplete = source["setupComplete"];
	        this.organisation = this.convertValues(source["organisation"], OrganisationDTO);
	        this.admin = this.convertValues(source["admin"], AdminDTO);
	        this.language = source["language"];
	        this.systemLanguage = source["systemLanguage"];
	        this.version = source["version"];
	        this.databasePath = source["databasePath"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TestEmailParams {
	    to: string;
	
	    static createFrom(source: any = {}) {
	        return new TestEmailParams(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.to = source["to"];
	    }
	}
	export class TestEmailResultDTO {
	    to: string;
	    sentAt: string;
	
	    static createFrom(source: any = {}) {
	        return new TestEmailResultDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.to = source["to"];
	        this.sentAt = source["sentAt"];
	    }
	}
	export class TrustCertificateParams {
	    fingerprint: string;
	
	    static createFrom(source: any = {}) {
	        return new TrustCertificateParams(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.fingerprint = source["fingerprint"];
	    }
	}

}

