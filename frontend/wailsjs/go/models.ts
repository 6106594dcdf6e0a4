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

}

