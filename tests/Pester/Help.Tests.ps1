BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force
    $cmdlets = Get-Command -Module WeComPS -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force
    $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
}

Describe 'Get-Help <Name> -Full' -Tag CI -ForEach $cmdlets {
    BeforeAll {
        $help = Get-Help $Name -Full
    }

    It 'has a synopsis of its own, not the generated syntax' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis.Trim() | Should -Not -Match "^$([regex]::Escape($Name))(\s+[-\[]|\s*$)"
    }

    It 'has a description' {
        ($help.description.Text -join '').Trim() | Should -Not -BeNullOrEmpty
    }

    It 'describes every parameter' {
        $parameters = (Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin $common }
        foreach ($parameter in $parameters) {
            $documented = $help.parameters.parameter | Where-Object name -EQ $parameter
            $documented | Should -Not -BeNullOrEmpty -Because "-$parameter of $Name needs help"
            ($documented.description.Text -join '').Trim() | Should -Not -BeNullOrEmpty -Because "-$parameter of $Name needs a description"
        }
    }

    It 'links its page online, for Get-Help -Online' {
        @($help.relatedLinks.navigationLink)[0].uri | Should -Be "https://github.com/WeComPS/WeComPS/blob/main/en-US/$Name.md"
    }

    It 'has an example' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterThan 0
        $examples[0].code | Should -Not -BeNullOrEmpty
    }
}

Describe 'Localized help' -Tag CI {
    It 'shows the zh-CN help in a zh-CN session' {
        # A fresh process of the same PowerShell, so the culture applies from the first Get-Help on; it answers in ASCII.
        $script = "`$ProgressPreference = 'SilentlyContinue'; [System.Threading.Thread]::CurrentThread.CurrentUICulture = 'zh-CN'; Import-Module '$ModulePath'; " +
            "(Get-Help Get-WeComUser).Synopsis -match '\p{IsCJKUnifiedIdeographs}'; (Get-Help about_WeComPS | Out-String) -match '\p{IsCJKUnifiedIdeographs}{4}'"
        $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($script))
        $answer = & (Join-Path $PSHOME $(if ($PSVersionTable.PSEdition -eq 'Desktop') { 'powershell.exe' } elseif ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })) -NoProfile -NonInteractive -EncodedCommand $encoded
        $answer | Should -Be @('True', 'True')
    }
}
